package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartIT extends E2E {
    RestartIT(Engine e) {
        super(e);
    }

    @Test
    void restartAlways() {
        String name = Engine.name("always");
        ok("run", "-d", "--name", name, "--restart", "always", "busybox", "sh", "-c", "sleep 0.2; exit 1");
        assertThat(eventually(Duration.ofSeconds(20), () -> Integer.parseInt(inspect(name, "{{.RestartCount}}")) >= 2))
                .as(e.logTail()).isTrue();
        ok("rm", "-f", name);
    }

    @Test
    void restartOnFailureIsBounded() {
        String name = Engine.name("onfail");
        ok("run", "-d", "--name", name, "--restart", "on-failure:2", "busybox", "sh", "-c", "exit 3");
        assertThat(eventually(Duration.ofSeconds(30),
                () -> inspect(name, "{{.State.Status}} {{.RestartCount}}").equals("exited 2"))).as(e.logTail()).isTrue();
        Engine.sleep(2000);
        assertThat(inspect(name, "{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}")).isEqualTo("exited 2 3");
        ok("rm", name);
    }

    @Test
    void healthChecks() {
        String good = sleeper("healthy", "--health-cmd", "true", "--health-interval", "1s");
        String bad = sleeper("unhealthy", "--health-cmd", "false", "--health-interval", "1s", "--health-retries", "1");
        assertThat(eventually(Duration.ofSeconds(20), () -> inspect(good, "{{.State.Health.Status}}").equals("healthy"))).isTrue();
        assertThat(eventually(Duration.ofSeconds(20), () -> inspect(bad, "{{.State.Health.Status}}").equals("unhealthy"))).isTrue();
        assertThat(ok("ps", "--filter", "name=" + good, "--format", "{{.Status}}")).contains("(healthy)");
        ok("rm", "-f", good, bad);
    }

    @Test
    void containerSurvivesDaemonKillAndIsStoppedByNextDaemon() throws Exception {
        String name = sleeper("survive");
        long pid = Long.parseLong(inspect(name, "{{.State.Pid}}"));
        assertThat(ProcessHandle.of(pid)).isPresent();
        e.kill9();
        Engine.sleep(500);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("container process after kill -9 of berthd").contains(true);
        e.start();
        assertThat(inspect(name, "{{.State.Running}} {{.State.Pid}}")).isEqualTo("true " + pid);
        assertThat(ok("ps", "--filter", "name=" + name, "-q")).isNotEmpty();
        assertThat(ok("exec", name, "echo", "still here")).isEqualTo("still here\n");
        ok("stop", "-t", "1", name);
        assertThat(eventually(Duration.ofSeconds(10), () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true))).isTrue();
        assertThat(inspect(name, "{{.State.Status}}")).isEqualTo("exited");
        ok("rm", name);
    }

    @Test
    void outputWrittenWhileTheDaemonIsDownIsLoggedOnceEach() throws Exception {
        String name = Engine.name("ticker");
        ok("run", "-d", "--name", name, "busybox", "sh", "-c", "i=0; while [ $i -lt 150 ]; do echo tick-$i; i=$((i+1)); usleep 20000; done");
        assertThat(eventually(Duration.ofSeconds(10), () -> docker("logs", name).out().contains("tick-10"))).isTrue();
        e.kill9();
        Engine.sleep(1000); // the container keeps writing: conmon spools it
        e.start();
        assertThat(ok("wait", name).trim()).isEqualTo("0");
        List<String> lines = ok("logs", name).lines().toList();
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 150; i++) {
            expected.add("tick-" + i);
        }
        assertThat(lines).as("no line lost or repeated across kill -9 of berthd").containsExactlyElementsOf(expected);
        ok("rm", name);
    }
}
