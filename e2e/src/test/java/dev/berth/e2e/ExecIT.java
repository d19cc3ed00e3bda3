package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExecIT extends E2E {
    ExecIT(Engine e) {
        super(e);
    }

    @Test
    void execExitCodeEnvUserWorkdir() {
        String name = sleeper("exec");
        assertThat(docker("exec", name, "sh", "-c", "exit 4").exit()).isEqualTo(4);
        assertThat(ok("exec", "-e", "FOO=bar", name, "sh", "-c", "echo $FOO")).isEqualTo("bar\n");
        assertThat(ok("exec", "-u", "nobody", name, "id", "-u")).isEqualTo("65534\n");
        assertThat(ok("exec", "-w", "/tmp", name, "pwd")).isEqualTo("/tmp\n");
        Cmd.Result piped = e.dockerIn("hi\n".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30), "exec", "-i", name, "cat");
        assertThat(piped.out()).isEqualTo("hi\n");
        ok("exec", "-d", name, "touch", "/tmp/detached");
        assertThat(eventually(Duration.ofSeconds(5), () -> docker("exec", name, "test", "-f", "/tmp/detached").exit() == 0)).isTrue();
        ok("rm", "-f", name);
    }

    @Test
    void execInteractiveTty() {
        String name = sleeper("exectty");
        Cmd.Result r = e.sh("script -qec \"" + Engine.DOCKER + " exec -it " + name + " sh -c 'tty; exit 6'\" /dev/null; echo rc=$?");
        assertThat(r.out()).contains("/dev/pts/");
        ok("rm", "-f", name);
    }

    @Test
    void execInStoppedContainerFails() {
        String name = Engine.name("execstopped");
        ok("create", "--name", name, "busybox", "true");
        Cmd.Result r = docker("exec", name, "true");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("is not running");
        ok("rm", name);
    }
}
