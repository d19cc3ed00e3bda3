package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The docker CLI against berthd with bad input and unusual sequences; each case pins dockerd's
 * status, message and CLI exit code (found in the QA pass, fixed in daemon/server).
 */
class AdversarialIT extends E2E {
    AdversarialIT(Engine e) {
        super(e);
    }

    private Cmd.Result fails(int exit, String message, String... args) {
        Cmd.Result r = docker(args);
        assertThat(r.exit()).as(r.describe()).isEqualTo(exit);
        assertThat(r.err()).as(r.describe()).contains(message);
        return r;
    }

    @Test
    void startErrorsGiveDockersExitCodes() {
        fails(127, "no such file or directory", "run", "--rm", "busybox", "/nonexistent-adv");
        fails(127, "executable file not found in $PATH", "run", "--rm", "busybox", "nonexistent-adv");
        fails(126, "permission denied", "run", "--rm", "busybox", "/etc/passwd");
    }

    @Test
    void failedExecsGiveDockersExitCodes() {
        String c = sleeper("advexec");
        Cmd.Result missing = docker("exec", c, "nonexistent-adv");
        assertThat(missing.exit()).as(missing.describe()).isEqualTo(127);
        assertThat(missing.out() + missing.err()).contains("exec: \"nonexistent-adv\": executable file not found in $PATH");
        assertThat(docker("exec", c, "/etc/passwd").exit()).isEqualTo(126);
        assertThat(docker("exec", c, "sh", "-c", "exit 255").exit()).isEqualTo(255);
        // dockerd writes the start error to the exec's stdout and the exit code is 126
        Cmd.Result u = docker("exec", "-u", "nosuchuser-adv", c, "true");
        assertThat(u.exit()).as(u.describe()).isEqualTo(126);
        assertThat(u.out()).contains("unable to find user nosuchuser-adv");
        assertThat(u.err()).doesNotContain("error from daemon in stream");
        ok("rm", "-f", c);
    }

    @Test
    void impossibleSettingsAre125WithDockersMessages() {
        fails(125, "Minimum memory limit allowed is 6MB", "run", "--rm", "--memory", "1k", "busybox", "true");
        fails(125, "Range of CPUs is from 0.01 to", "run", "--rm", "--cpus", "99", "busybox", "true");
        fails(125, "Requested CPUs are not available", "run", "--rm", "--cpuset-cpus", "77", "busybox", "true");
        fails(125, "Range of blkio weight is from 10 to 1000", "run", "--rm", "--blkio-weight", "5", "busybox", "true");
        fails(125, "unknown or invalid runtime name: bogus", "run", "--rm", "--runtime", "bogus", "busybox", "true");
        fails(125, "invalid mount config for type \"bind\": bind source path does not exist: /nonexistent-adv",
                "run", "--rm", "--mount", "type=bind,source=/nonexistent-adv,target=/x", "busybox", "true");
        fails(125, "invalid mount config for type \"bogus\": mount type unknown",
                "run", "--rm", "--mount", "type=bogus,target=/x", "busybox", "true");
        fails(125, "the working directory 'relative' is invalid, it needs to be an absolute path",
                "run", "--rm", "-w", "relative", "busybox", "pwd");
        fails(125, "Invalid signal: BOGUS", "run", "--rm", "--stop-signal", "BOGUS", "busybox", "true");
        fails(125, "Requested memory nodes are not available", "run", "--rm", "--cpuset-mems", "55", "busybox", "true");
    }

    @Test
    void missingNetworkDoesNotMakeTheCliPull() {
        Cmd.Result r = fails(125, "network nosuch-adv not found", "run", "--rm", "--network", "nosuch-adv", "busybox", "true");
        assertThat(r.err()).doesNotContain("Unable to find image");
    }

    @Test
    void invalidPortBindingViaApiIs400() {
        Cmd.Result r = e.sh("curl -s -o /dev/null -w '%{http_code}' --unix-socket " + e.socket
                + " -H 'Content-Type: application/json' -d '{\"Image\":\"busybox\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"abc\"}]}}}'"
                + " http://x/v1.50/containers/create");
        assertThat(r.out()).isEqualTo("400");
    }

    @Test
    void stateConflicts() {
        String c = sleeper("advstate");
        assertThat(ok("start", c).trim()).isEqualTo(c); // 304 -> the CLI prints the name
        ok("pause", c);
        fails(1, "is already paused", "pause", c);
        ok("unpause", c);
        fails(1, "is not paused", "unpause", c);
        fails(1, "container is running: stop the container before removing or force remove", "rm", c);
        String other = sleeper("advother");
        fails(1, "is already in use by container", "rename", other, c);
        fails(1, "No such container: nosuch-adv", "wait", "nosuch-adv");
        ok("rm", "-f", c, other);
        String stopped = Engine.name("advstopped");
        ok("create", "--name", stopped, "busybox", "true");
        fails(1, "is not running", "exec", stopped, "true");
        fails(1, "Cannot kill container: " + stopped, "kill", stopped);
        ok("rm", stopped);
    }

    @Test
    void legacyLinksOnTheDefaultBridge() {
        String web = sleeper("advweb");
        String line = ok("run", "--rm", "--link", web + ":db", "busybox", "sh", "-c", "grep -w db /etc/hosts && ping -c1 -W2 db >/dev/null && echo PING_OK");
        assertThat(line).contains("db").contains(web).contains("PING_OK");
        fails(125, "could not get container for nosuch-adv", "run", "--rm", "--link", "nosuch-adv:db", "busybox", "true");
        String lk = Engine.name("advlk");
        ok("create", "--name", lk, "--link", web, "busybox", "true");
        assertThat(inspect(lk, "{{json .HostConfig.Links}}")).isEqualTo("[\"/" + web + ":/" + lk + "/" + web + "\"]");
        ok("rm", "--link", "/" + lk + "/" + web);
        assertThat(inspect(lk, "{{len .HostConfig.Links}}")).isEqualTo("0");
        ok("rm", "-f", web, lk);
    }

    @Test
    void topTakesPsArguments() {
        String c = sleeper("advtop");
        assertThat(ok("top", c).lines().findFirst().orElseThrow()).startsWith("UID").contains("PPID", "CMD");
        assertThat(ok("top", c, "aux").lines().findFirst().orElseThrow()).startsWith("USER").contains("%CPU", "COMMAND");
        String o = ok("top", c, "-o", "pid,comm");
        assertThat(o.lines().findFirst().orElseThrow().trim()).matches("PID\\s+COMMAND");
        assertThat(o).contains("sleep");
        ok("rm", "-f", c);
    }

    @Test
    void stdinPipeAndExitCodes() {
        assertThat(e.sh("echo adv-x | " + "docker run -i --rm busybox cat").out()).isEqualTo("adv-x\n");
        assertThat(docker("run", "--rm", "busybox", "sh", "-c", "exit 3").exit()).isEqualTo(3);
        Cmd.Result stop = e.dockerIn(null, Duration.ofSeconds(30), "run", "-d", "busybox", "sh", "-c", "trap '' TERM; while true; do sleep 1; done");
        String id = stop.out().trim();
        long t0 = System.nanoTime();
        ok("stop", "-t", "1", id);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(8000);
        assertThat(inspect(id, "{{.State.ExitCode}}")).isEqualTo("137");
        ok("rm", id);
    }
}
