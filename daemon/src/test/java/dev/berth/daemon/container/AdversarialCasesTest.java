package dev.berth.daemon.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.model.ContainerTop;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Divergences from dockerd found with the docker CLI (QA pass), pinned with fakes. */
class AdversarialCasesTest {
    @TempDir
    Path tmp;
    Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(tmp);
    }

    private static ErrorKind kind(Throwable t) {
        return ((BerthException) t).kind();
    }

    @Test
    void invalidPortBindingsAreRejectedAtCreateLikeDockerd() {
        assertThatThrownBy(() -> h.create("p1", Harness.config("busybox"),
                Harness.host(Map.of("PortBindings", Map.of("80/tcp", List.of(Map.of("HostPort", "abc")))))))
                .hasMessage("invalid port specification: \"abc\"").extracting(AdversarialCasesTest::kind).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThatThrownBy(() -> h.create("p2", Harness.config("busybox"),
                Harness.host(Map.of("PortBindings", Map.of("99999/tcp", List.of())))))
                .hasMessage("invalid port specification: \"99999\"");
        // empty host port (ephemeral) and ranges are fine
        h.create("p3", Harness.config("busybox"), Harness.host(Map.of("PortBindings",
                Map.of("80/tcp", List.of(Map.of("HostPort", "")), "1000-1001/udp", List.of(Map.of("HostPort", "2000-2001"))))));
        assertThat(h.mgr.list(true, 0, false, dev.berth.common.Filters.NONE)).hasSize(1);
    }

    @Test
    void unknownMountTypeHasDockersMessage() {
        assertThatThrownBy(() -> h.create("m1", Harness.config("busybox"),
                Harness.host(Map.of("Mounts", List.of(Map.of("Type", "bogus", "Target", "/y"))))))
                .hasMessage("invalid mount config for type \"bogus\": mount type unknown");
    }

    @Test
    void legacyLinksBecomeHostsEntriesOfTheLinkingContainer() {
        String web = h.create("web");
        h.mgr.start("web", null);
        String cli = h.create("cli", Harness.config("busybox"), Harness.host(Map.of("Links", List.of("web:db"))));
        assertThat(h.mgr.inspect("cli", false).hostConfig().links()).containsExactly("/web:/cli/db");
        h.mgr.start("cli", null);
        assertThat(h.network.requests.get(cli).extraHosts())
                .containsExactly("db " + web.substring(0, 12) + " web:172.30.0.2");
        // docker rm --link /cli/db
        h.mgr.remove("/cli/db", false, false, true);
        assertThat(h.mgr.inspect("cli", false).hostConfig().links()).isEmpty();
        assertThat(h.mgr.inspect("web", false).state().running()).isTrue();
    }

    @Test
    void linkErrorsAreDockers() {
        assertThatThrownBy(() -> h.create("c1", Harness.config("busybox"), Harness.host(Map.of("Links", List.of("nosuch:db")))))
                .hasMessage("could not get container for nosuch: No such container: nosuch")
                .extracting(AdversarialCasesTest::kind).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        h.create("stopped");
        h.create("c2", Harness.config("busybox"), Harness.host(Map.of("Links", List.of("stopped"))));
        assertThatThrownBy(() -> h.mgr.start("c2", null))
                .hasMessage("Cannot link to a non running container: /stopped AS /c2/stopped");
        assertThatThrownBy(() -> h.create("c3", Harness.config("busybox"),
                Harness.host(Map.of("Links", List.of("stopped"), "NetworkMode", "host"))))
                .hasMessageStartingWith("conflicting options: host type networking can't be used with links");
    }

    @Test
    void crunStartErrorsAreWordedLikeRuncSoTheCliExitCodeIsRight() {
        String crunMissing = "failed to create task for container: OCI runtime create failed: executable file `/nope` not found in $PATH: No such file or directory";
        assertThat(RuntimeErrors.rewrite(crunMissing, "/nope"))
                .isEqualTo("failed to create task for container: OCI runtime create failed: unable to start container process: exec: \"/nope\": stat /nope: no such file or directory");
        assertThat(RuntimeErrors.rewrite("x: executable file `nope` not found in $PATH: No such file or directory", "nope"))
                .endsWith("exec: \"nope\": executable file not found in $PATH");
        assertThat(RuntimeErrors.rewrite("x: open executable: Permission denied", "/etc/passwd"))
                .isEqualTo("x: unable to start container process: exec: \"/etc/passwd\": permission denied");
        assertThat(ContainerLifecycle.exitCodeFor(RuntimeErrors.rewrite(crunMissing, "/nope"))).isEqualTo(127);
        String other = "OCI runtime create failed: something else";
        assertThat(RuntimeErrors.rewrite(other, "/x")).isSameAs(other);
    }

    @Test
    void failedExecsGetDockersExitCodes() {
        assertThat(ExecExitCodes.mapped("executable file `nonexist` not found in $PATH: No such file or directory\n", 255)).isEqualTo(127);
        assertThat(ExecExitCodes.mapped("\u001b[1;31m2026-11-30T02:28:40Z: executable file `x` not found in $PATH: No such file or directory", 255))
                .isEqualTo(127);
        assertThat(ExecExitCodes.mapped("open executable: Permission denied\n", 255)).isEqualTo(126);
        assertThat(ExecExitCodes.mapped("exec failed: unable to start container process: exec: \"x\": executable file not found in $PATH", 255))
                .isEqualTo(127);
        // a program that itself exits 255 keeps its code
        assertThat(ExecExitCodes.mapped("no such file or directory: my own message", 255)).isEqualTo(255);
    }

    @Test
    void psOutputIsFilteredByThePidColumnLikeDockerd() {
        String ps = """
                USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND
                root           1  0.0  0.0   2268  1368 ?        Ss   02:27   0:00 /sbin/init splash
                root          42  0.0  0.0   2268  1368 ?        Ss   02:27   0:00 sleep 300
                """;
        ContainerTop t = PsTop.parse(ps, Set.of(42));
        assertThat(t.titles()).hasSize(11).contains("PID", "COMMAND");
        assertThat(t.processes()).singleElement().satisfies(r -> {
            assertThat(r).hasSize(11);
            assertThat(r.get(1)).isEqualTo("42");
            assertThat(r.get(10)).isEqualTo("sleep 300");
        });
        assertThatThrownBy(() -> PsTop.parse("COMMAND\nsleep\n", Set.of(1))).hasMessage("Couldn't find PID field in ps output");
    }

    @Test
    void missingNetworkAtCreateIsNot404SoTheCliDoesNotTryToPull() {
        assertThatThrownBy(() -> h.create("n1", Harness.config("busybox"), Harness.host(Map.of("NetworkMode", "nosuch"))))
                .hasMessage("network nosuch not found").extracting(AdversarialCasesTest::kind).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThatThrownBy(() -> h.create("n2", Harness.config("busybox"), Harness.host(Map.of("NetworkMode", "container:nosuch"))))
                .extracting(AdversarialCasesTest::kind).isEqualTo(ErrorKind.INVALID_ARGUMENT);
    }

    @Test
    void relativeWorkingDirAndValidationBeforeImageLookup() {
        var cfg = dev.berth.common.Json.mapper().convertValue(Map.of("Image", "busybox", "WorkingDir", "relative"),
                dev.berth.api.model.ContainerConfig.class);
        assertThatThrownBy(() -> h.create("w1", cfg, null))
                .hasMessage("the working directory 'relative' is invalid, it needs to be an absolute path");
        // an impossible limit is reported even when the image is missing, as dockerd does
        assertThatThrownBy(() -> h.create("w2", Harness.config("nosuchimage"), Harness.host(Map.of("Memory", 1024))))
                .hasMessage("Minimum memory limit allowed is 6MB");
    }

    @Test
    void unavailableMemoryNodesAreRejectedAtCreate() {
        assertThatThrownBy(() -> h.create("mem1", Harness.config("busybox"), Harness.host(Map.of("CpusetMems", "55"))))
                .hasMessage("Requested memory nodes are not available - requested 55, available: " + CreateValidator.memNodesOnline());
    }

    @Test
    void bogusStopSignalIsRejectedAtCreate() {
        var cfg = dev.berth.common.Json.mapper().convertValue(Map.of("Image", "busybox", "StopSignal", "BOGUS"),
                dev.berth.api.model.ContainerConfig.class);
        assertThatThrownBy(() -> h.create("sig1", cfg, null)).hasMessage("Invalid signal: BOGUS");
    }

    @Test
    void crunExecFailureTextIsShownAsDockerdShowsIt() {
        assertThat(ExecExitCodes.dockerText("executable file `nonexist` not found in $PATH: No such file or directory\n", "nonexist"))
                .isEqualTo("OCI runtime exec failed: exec failed: unable to start container process: exec: \"nonexist\": "
                        + "executable file not found in $PATH: unknown\r\n");
        String tty = "\u001b[1;31m2026-11-30T02:28:40.005835Z: \u001b[1;31m2026-11-30T02:28:40.005349Z: executable file `/x` not found in $PATH: "
                + "No such file or directory\u001b[0m\r\n\u001b[0m";
        assertThat(ExecExitCodes.dockerText(tty, "/x")).contains("exec: \"/x\": stat /x: no such file or directory: unknown");
        assertThat(ExecExitCodes.dockerText("open executable: Permission denied\n", "/etc/passwd"))
                .contains("exec: \"/etc/passwd\": permission denied");
        assertThat(ExecExitCodes.dockerText("hello\n", "echo")).isEqualTo("hello\n");
    }

    @Test
    void logOptsWithoutADriverAreCheckedByTheDefaultDriver() {
        assertThatThrownBy(() -> h.create("lo1", Harness.config("busybox"),
                Harness.host(Map.of("LogConfig", Map.of("Type", "", "Config", Map.of("bogus", "1"))))))
                .hasMessage("unknown log opt 'bogus' for json-file log driver");
        assertThatThrownBy(() -> h.create("lo2", Harness.config("busybox"),
                Harness.host(Map.of("LogConfig", Map.of("Type", "", "Config", Map.of("max-size", "abc"))))))
                .hasMessage("invalid max-size: abc");
    }

    @Test
    void relativeBindTargetNamesTheBindType() {
        assertThatThrownBy(() -> MountPlanner.parseBind("/tmp:relative"))
                .hasMessage("invalid volume specification: '/tmp:relative': invalid mount config for type \"bind\": invalid mount path: 'relative' mount path must be absolute");
        assertThatThrownBy(() -> MountPlanner.parseBind("vol:relative"))
                .hasMessageContaining("invalid mount config for type \"volume\"");
    }
}
