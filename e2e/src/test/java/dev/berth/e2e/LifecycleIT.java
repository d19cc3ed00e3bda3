package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LifecycleIT extends E2E {
    LifecycleIT(Engine e) {
        super(e);
    }

    @Test
    void psListsAndFilters() {
        String running = sleeper("ps");
        String exited = Engine.name("psx");
        ok("run", "--name", exited, "busybox", "true");
        String id = inspect(running, "{{.Id}}");
        assertThat(ok("ps")).contains(running).doesNotContain(exited);
        assertThat(ok("ps", "-a")).contains(running).contains(exited);
        assertThat(ok("ps", "-q")).contains(id.substring(0, 12));
        assertThat(ok("ps", "-q", "--no-trunc")).contains(id);
        assertThat(ok("ps", "-a", "--filter", "name=" + exited, "--format", "{{.Names}} {{.State}}")).isEqualTo(exited + " exited\n");
        assertThat(ok("ps", "-a", "--filter", "status=exited", "--format", "{{.Names}}")).contains(exited).doesNotContain(running);
        assertThat(ok("ps", "--filter", "id=" + id, "--format", "{{.ID}} {{.Image}}")).isEqualTo(id.substring(0, 12) + " busybox\n");
        assertThat(ok("ps", "--filter", "name=" + running, "--format", "{{json .}}")).contains("\"Names\":\"" + running + "\"");
        String table = ok("ps", "--filter", "name=" + running);
        assertThat(table.lines().findFirst().orElseThrow()).startsWith("CONTAINER ID   IMAGE     COMMAND  ").endsWith("NAMES");
        assertThat(table).contains("\"sleep 300\"");
        assertThat(ok("ps", "-n", "1", "-q")).hasLineCount(1);
        ok("rm", "-f", running, exited);
    }

    @Test
    void stopWithTimeoutKillsAfterGrace() {
        String name = sleeper("stop");
        long t0 = System.nanoTime();
        assertThat(ok("stop", "-t", "1", name)).isEqualTo(name + "\n");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        assertThat(inspect(name, "{{.State.Status}} {{.State.ExitCode}}")).isEqualTo("exited 137");
        ok("rm", name);
    }

    @Test
    void killWithSignal() {
        String name = Engine.name("kill");
        ok("run", "-d", "--name", name, "busybox", "sh", "-c", "trap 'exit 5' USR1; while true; do sleep 0.1; done");
        Engine.sleep(500);
        ok("kill", "-s", "USR1", name);
        assertThat(ok("wait", name).trim()).isEqualTo("5");
        ok("rm", name);
    }

    @Test
    void restartPauseUnpause() {
        String name = sleeper("restart");
        String started = inspect(name, "{{.State.StartedAt}}");
        ok("restart", "-t", "1", name);
        assertThat(inspect(name, "{{.State.Running}}")).isEqualTo("true");
        assertThat(inspect(name, "{{.State.StartedAt}}")).isNotEqualTo(started);
        ok("pause", name);
        assertThat(inspect(name, "{{.State.Status}} {{.State.Paused}}")).isEqualTo("paused true");
        ok("unpause", name);
        assertThat(inspect(name, "{{.State.Status}}")).isEqualTo("running");
        ok("rm", "-f", name);
        Cmd.Result gone = docker("inspect", name);
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("No such object: " + name);
    }

    @Test
    void removeRunningNeedsForce() {
        String name = sleeper("rmf");
        Cmd.Result r = docker("rm", name);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("Error response from daemon:").contains("stop the container before removing or force remove");
        ok("rm", "-f", name);
        Cmd.Result missing = docker("rm", name);
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("No such container: " + name);
    }

    @Test
    void waitReturnsExitCode() {
        String name = Engine.name("wait");
        ok("run", "-d", "--name", name, "busybox", "sh", "-c", "sleep 1; exit 7");
        assertThat(ok("wait", name)).isEqualTo("7\n");
        ok("rm", name);
    }

    @Test
    void renameTopStatsInspect() {
        String name = sleeper("rename", "--memory", "64m");
        String renamed = name + "-new";
        ok("rename", name, renamed);
        assertThat(inspect(renamed, "{{.Name}}")).isEqualTo("/" + renamed);
        String top = ok("top", renamed);
        assertThat(top.lines().findFirst().orElseThrow()).contains("PID");
        assertThat(top).contains("sleep 300");
        String stats = ok("stats", "--no-stream", renamed);
        assertThat(stats).contains("CONTAINER ID").contains(renamed);
        assertThat(inspect(renamed, "{{.Config.Image}} {{.State.Running}} {{.HostConfig.Memory}} {{.Path}} {{json .Args}}"))
                .isEqualTo("busybox true 67108864 sleep [\"300\"]");
        assertThat(inspect(renamed, "{{.State.Pid}}")).matches("[1-9]\\d*");
        ok("rm", "-f", renamed);
    }

    @Test
    void startAttachReturnsExitCode() {
        String name = Engine.name("starta");
        ok("create", "--name", name, "busybox", "sh", "-c", "echo started; exit 2");
        Cmd.Result r = docker("start", "-a", name);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEqualTo("started\n");
        ok("rm", name);
    }
}
