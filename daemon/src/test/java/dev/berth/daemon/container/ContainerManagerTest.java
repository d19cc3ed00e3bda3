package dev.berth.daemon.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.backend.ContainerBackend;
import dev.berth.api.model.ContainerInspect;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Filters;
import dev.berth.runtime.RuntimeDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerManagerTest {
    @TempDir
    Path tmp;
    Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(tmp);
    }

    @Test
    void createPersistsAndInspects() {
        String id = h.create("web1");
        ContainerInspect i = h.mgr.inspect("web1", false);
        assertThat(i.id()).isEqualTo(id);
        assertThat(i.name()).isEqualTo("/web1");
        assertThat(i.path()).isEqualTo("sh");
        assertThat(i.state().status()).isEqualTo("created");
        assertThat(i.config().hostname()).isEqualTo(id.substring(0, 12));
        assertThat(i.hostConfig().shmSize()).isEqualTo(64L * 1024 * 1024);
        assertThat(i.hostConfig().maskedPaths()).contains("/proc/kcore", "/sys/firmware");
        assertThat(i.hostConfig().readonlyPaths()).contains("/proc/sys");
        assertThat(i.hostConfig().networkMode()).isEqualTo("bridge");
        assertThat(i.hostConfig().logConfig().type()).isEqualTo("json-file");
        assertThat(i.config().labels()).containsEntry("img", "1");
        assertThat(Files.exists(tmp.resolve("data/containers").resolve(id).resolve("config.v2.json"))).isTrue();
        assertThat(h.events.actions).containsExactly("create");
        // lookup by prefix and /name
        assertThat(h.mgr.inspect(id.substring(0, 5), false).id()).isEqualTo(id);
        assertThat(h.mgr.inspect("/web1", false).id()).isEqualTo(id);
    }

    @Test
    void privilegedHasNoMaskedPaths() {
        h.create("pp", Harness.config("busybox"), Harness.host(Map.of("Privileged", true)));
        assertThat(h.mgr.inspect("pp", false).hostConfig().maskedPaths()).isNull();
    }

    @Test
    void nameRules() {
        assertThatThrownBy(() -> h.create("a"))
                .hasMessage("Invalid container name (a), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        assertThatThrownBy(() -> h.create("-bad"))
                .isInstanceOf(BerthException.class).extracting(e -> ((BerthException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        String id = h.create("dup");
        assertThatThrownBy(() -> h.create("dup"))
                .hasMessage("Conflict. The container name \"/dup\" is already in use by container \"" + id
                        + "\". You have to remove (or rename) that container to be able to reuse that name.")
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(ErrorKind.CONFLICT);
        String rnd = h.create(null);
        assertThat(h.mgr.inspect(rnd, false).name()).matches("/[a-z]+_[a-z]+\\d?");
    }

    @Test
    void unknownImageIs404WithTag() {
        assertThatThrownBy(() -> h.create("x1", Harness.config("alpine"), null))
                .hasMessage("No such image: alpine:latest")
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(h.mgr.list(true, 0, false, Filters.NONE)).isEmpty();
    }

    @Test
    void validationHappensBeforeDisk() {
        assertThatThrownBy(() -> h.create("m1", Harness.config("busybox"), Harness.host(Map.of("Memory", 1024))))
                .hasMessage("Minimum memory limit allowed is 6MB");
        int cpus = Runtime.getRuntime().availableProcessors();
        assertThatThrownBy(() -> h.create("m2", Harness.config("busybox"), Harness.host(Map.of("NanoCpus", (cpus + 1) * 1_000_000_000L))))
                .hasMessage("Range of CPUs is from 0.01 to " + cpus + ".00, as there are only " + cpus + " CPUs available");
        assertThatThrownBy(() -> h.create("m3", Harness.config("busybox"), Harness.host(Map.of("RestartPolicy", Map.of("Name", "sometimes")))))
                .hasMessageStartingWith("invalid restart policy: unknown policy 'sometimes'");
        assertThatThrownBy(() -> h.create("m4", Harness.config("busybox"), Harness.host(Map.of("Binds", List.of("rel:/x:zz")))))
                .hasMessage("invalid mode: zz");
        assertThat(h.images.layers).isEmpty();
        assertThat(h.mgr.list(true, 0, false, Filters.NONE)).isEmpty();
    }

    @Test
    void mergesImageConfigAndCreatesAnonymousVolumes() {
        String id = h.create("w1", Harness.config("web"), null);
        var i = h.mgr.inspect(id, false);
        assertThat(i.path()).isEqualTo("/entry");
        assertThat(i.args()).containsExactly("serve");
        assertThat(i.config().user()).isEqualTo("www");
        assertThat(i.config().workingDir()).isEqualTo("/srv");
        assertThat(i.config().stopSignal()).isEqualTo("SIGQUIT");
        assertThat(i.config().exposedPorts()).containsKey("80/tcp");
        assertThat(i.mounts()).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo("volume");
            assertThat(m.destination()).isEqualTo("/data");
        });
        assertThat(h.volumes.vols).hasSize(1);
        h.mgr.remove(id, false, true, false);
        assertThat(h.volumes.vols).isEmpty();
    }

    @Test
    void startStopLifecycle() throws Exception {
        String id = h.create("life");
        h.mgr.start("life", null);
        var i = h.mgr.inspect(id, false);
        assertThat(i.state().running()).isTrue();
        assertThat(i.state().pid()).isPositive();
        assertThat(i.networkSettings().networks()).containsKey("bridge");
        assertThat(h.runtime.specs.get(id).env()).contains("HOSTNAME=" + id.substring(0, 12));
        assertThat(h.runtime.specs.get(id).mounts()).extracting(m -> m.destination()).contains("/etc/hosts", "/etc/resolv.conf", "/etc/hostname");
        assertThat(Files.readString(tmp.resolve("data/containers").resolve(id).resolve("resolv.conf"))).contains("1.1.1.1");
        assertThatThrownBy(() -> h.mgr.start("life", null)).extracting(e -> ((BerthException) e).kind()).isEqualTo(ErrorKind.NOT_MODIFIED);
        assertThatThrownBy(() -> h.mgr.remove("life", false, false, false))
                .hasMessage("cannot remove container \"/life\": container is running: stop the container before removing or force remove");
        var wait = h.mgr.waitFor("life", "not-running");
        h.mgr.stop("life", 1, null);
        assertThat(wait.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(143);
        i = h.mgr.inspect(id, false);
        assertThat(i.state().status()).isEqualTo("exited");
        assertThat(i.state().exitCode()).isEqualTo(143);
        assertThat(h.network.sandboxes).isEmpty();
        assertThat(h.events.actions).containsSubsequence("create", "start", "kill", "die", "stop");
        assertThatThrownBy(() -> h.mgr.kill("life", null)).hasMessage("Cannot kill container: life: container " + id + " is not running");
        var removed = h.mgr.waitFor("life", "removed");
        h.mgr.remove("life", false, false, false);
        assertThat(removed.get(1, TimeUnit.SECONDS).statusCode()).isEqualTo(143);
        assertThat(Files.exists(tmp.resolve("data/containers").resolve(id))).isFalse();
        assertThat(h.events.actions).endsWith("destroy");
    }

    @Test
    void outputIsShippedIntoDockersJsonFileLogAcrossRunsAndRemovedWithTheContainer() throws Exception {
        String id = h.create("chatty");
        h.mgr.start("chatty", null);
        h.runtime.log.add(new RuntimeDriver.LogEntry(1_000_000_001L, false, "one\n".getBytes()));
        h.runtime.log.add(new RuntimeDriver.LogEntry(1_000_000_002L, true, "two<\n".getBytes()));
        StdioBridgeTest.Sink all = new StdioBridgeTest.Sink();
        h.mgr.logs("chatty", new ContainerBackend.LogsOptions(false, true, true, 0, 0, false, "all"), all);
        assertThat(all.out.toString()).isEqualTo("one\n");
        assertThat(all.err.toString()).isEqualTo("two<\n");
        Path log = tmp.resolve("data/containers").resolve(id).resolve(id + "-json.log");
        assertThat(h.mgr.inspect(id, false).logPath()).isEqualTo(log.toString());
        assertThat(Files.readString(log)).isEqualTo("""
                {"log":"one\\n","stream":"stdout","time":"1970-01-01T00:00:01.000000001Z"}
                {"log":"two\\u003c\\n","stream":"stderr","time":"1970-01-01T00:00:01.000000002Z"}
                """);

        h.mgr.stop("chatty", 1, null);
        h.mgr.start("chatty", null);
        h.runtime.log.add(new RuntimeDriver.LogEntry(3_000_000_000L, false, "three\n".getBytes()));
        StdioBridgeTest.Sink tail = new StdioBridgeTest.Sink();
        h.mgr.logs("chatty", new ContainerBackend.LogsOptions(false, true, true, 0, 0, false, "2"), tail);
        assertThat(tail.out.toString()).isEqualTo("three\n");
        assertThat(tail.err.toString()).isEqualTo("two<\n");

        h.mgr.remove("chatty", true, false, false);
        assertThat(log.getParent()).doesNotExist();
    }

    @Test
    void noneDriverKeepsNoLog() {
        h.create("quiet", Harness.config("busybox"), Harness.host(Map.of("LogConfig", Map.of("Type", "none"))));
        h.mgr.start("quiet", null);
        h.runtime.log.add(new RuntimeDriver.LogEntry(1_000_000_001L, false, "dropped\n".getBytes()));
        assertThatThrownBy(() -> h.mgr.logs("quiet", new ContainerBackend.LogsOptions(false, true, true, 0, 0, false, "all"),
                new StdioBridgeTest.Sink())).hasMessage("configured logging driver does not support reading");
    }

    @Test
    void stopEscalatesToSigkill() throws Exception {
        h.runtime.ignoreTerm = true;
        h.create("stubborn");
        h.mgr.start("stubborn", null);
        h.mgr.stop("stubborn", 0, null);
        assertThat(h.mgr.inspect("stubborn", false).state().exitCode()).isEqualTo(137);
    }

    @Test
    void startFailureUndoesSandbox() {
        h.create("bad1");
        h.runtime.failCreate = BerthException.invalid("exec: \"nope\": executable file not found in $PATH");
        assertThatThrownBy(() -> h.mgr.start("bad1", null)).hasMessageContaining("executable file not found");
        assertThat(h.network.sandboxes).isEmpty();
        var st = h.mgr.inspect("bad1", false).state();
        assertThat(st.running()).isFalse();
        assertThat(st.exitCode()).isEqualTo(127);
        assertThat(st.error()).contains("executable file not found");
    }

    @Test
    void autoRemoveRemovesAfterExit() throws Exception {
        String id = h.create("rm1", Harness.config("busybox"), Harness.host(Map.of("AutoRemove", true)));
        var removed = h.mgr.waitFor(id, "removed");
        h.mgr.start(id, null);
        h.runtime.exit(id, 3);
        assertThat(removed.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(3);
        assertThatThrownBy(() -> h.mgr.inspect(id, false)).hasMessage("No such container: " + id);
    }

    @Test
    void restartPolicyRestartsAndCounts() throws Exception {
        String id = h.create("rp", Harness.config("busybox"), Harness.host(Map.of("RestartPolicy", Map.of("Name", "on-failure", "MaximumRetryCount", 1))));
        h.mgr.start(id, null);
        h.runtime.exit(id, 1);
        long deadline = System.currentTimeMillis() + 5000;
        while (h.mgr.inspect(id, false).restartCount() < 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        var i = h.mgr.inspect(id, false);
        assertThat(i.restartCount()).isEqualTo(1);
        assertThat(i.state().running()).isTrue();
        h.runtime.exit(id, 1);
        Thread.sleep(300);
        i = h.mgr.inspect(id, false);
        assertThat(i.state().running()).isFalse();
        assertThat(i.restartCount()).isEqualTo(1);
    }

    @Test
    void pauseUnpauseConflicts() {
        h.create("pz");
        assertThatThrownBy(() -> h.mgr.pause("pz")).extracting(e -> ((BerthException) e).kind()).isEqualTo(ErrorKind.CONFLICT);
        h.mgr.start("pz", null);
        h.mgr.pause("pz");
        assertThat(h.mgr.list(false, 0, false, Filters.NONE).getFirst().status()).endsWith("(Paused)");
        assertThatThrownBy(() -> h.mgr.pause("pz")).hasMessageContaining("already paused");
        h.mgr.unpause("pz");
        assertThatThrownBy(() -> h.mgr.unpause("pz")).hasMessageContaining("is not paused");
    }

    @Test
    void renameAndList() {
        h.create("one");
        String two = h.create("two");
        h.mgr.rename("two", "deux");
        assertThat(h.mgr.inspect(two, false).name()).isEqualTo("/deux");
        h.create("two"); // the old name is free again
        h.mgr.start("one", null);
        assertThat(h.mgr.list(false, 0, false, Filters.NONE)).extracting(s -> s.names().getFirst()).containsExactly("/one");
        assertThat(h.mgr.list(true, 0, false, Filters.parse("{\"status\":{\"created\":true}}")))
                .extracting(s -> s.names().getFirst()).containsExactlyInAnyOrder("/deux", "/two");
        assertThat(h.mgr.list(true, 0, false, Filters.parse("{\"name\":{\"deu\":true}}"))).hasSize(1);
        var one = h.mgr.list(false, 0, false, Filters.NONE).getFirst();
        assertThat(one.command()).isEqualTo("sh");
        assertThat(one.status()).startsWith("Up ");
        assertThat(one.state()).isEqualTo("running");
        assertThatThrownBy(() -> h.mgr.list(true, 0, false, Filters.parse("{\"status\":{\"bogus\":true}}")))
                .hasMessage("invalid filter 'status=bogus'");
    }

    @Test
    void execRunsAndReportsExitCode() throws Exception {
        h.create("ex");
        assertThatThrownBy(() -> h.mgr.execBackend().create("ex", execReq("true")))
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(ErrorKind.CONFLICT);
        h.mgr.start("ex", null);
        var exec = h.mgr.execBackend();
        String eid = exec.create("ex", execReq("false"));
        // as Docker: the container lists an exec until it finishes (not after; exec inspect still works)
        assertThat(h.mgr.inspect("ex", false).execIds()).containsExactly(eid);
        exec.start(eid, false, null, null, null);
        long deadline = System.currentTimeMillis() + 5000;
        while (exec.inspect(eid).exitCode() == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(exec.inspect(eid).exitCode()).isEqualTo(1);
        assertThat(h.mgr.inspect("ex", false).execIds()).isNull();
        assertThat(h.events.actions).contains("exec_create: false", "exec_start: false", "exec_die");
        assertThatThrownBy(() -> exec.inspect("nope")).hasMessage("No such exec instance: nope");
    }

    @Test
    void healthProbeRecordsResults() {
        String id = h.create("hc", Harness.config("busybox"), null);
        Container c = internal(id);
        c.rec.state.running = true;
        c.rec.state.startedAt = Times.rfc3339Nano(java.time.Instant.now().minusSeconds(100));
        c.rec.state.health = new ContainerRecord.HealthRecord();
        var hm = new HealthMonitor(engine());
        var hc = new dev.berth.api.model.HealthConfig(List.of("CMD", "true"), null, null, 2, null, null);
        var fail = new dev.berth.api.model.ContainerState.HealthcheckResult("2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z", 1, "x");
        var ok = new dev.berth.api.model.ContainerState.HealthcheckResult(Times.rfc3339Nano(java.time.Instant.now()), "2024-01-01T00:00:01Z", 0, "ok");
        hm.record(c, hc, ok);
        assertThat(c.rec.state.health.status).isEqualTo("healthy");
        hm.record(c, hc, fail);
        assertThat(c.rec.state.health.status).isEqualTo("healthy");
        hm.record(c, hc, fail);
        assertThat(c.rec.state.health.status).isEqualTo("unhealthy");
        assertThat(c.rec.state.health.failingStreak).isEqualTo(2);
        for (int i = 0; i < 5; i++) {
            hm.record(c, hc, fail);
        }
        assertThat(c.rec.state.health.log).hasSize(5);
        assertThat(h.events.actions).contains("health_status: healthy", "health_status: unhealthy");
    }

    @Test
    void restoreReloadsFromDisk() {
        String id = h.create("keep");
        h.mgr.shutdown();
        var again = new ContainerManager(h.config, h.images, Map.of("crun", h.runtime), "crun", h.network, h.volumes, h.events,
                java.time.Clock.systemUTC());
        again.restore();
        assertThat(again.inspect("keep", false).id()).isEqualTo(id);
        assertThatThrownBy(() -> again.create(new dev.berth.api.model.ContainerCreateRequest("keep", null, Harness.config("busybox"), null, null)))
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(ErrorKind.CONFLICT);
        assertThat(again.imageIdsInUse()).hasSize(1);
        assertThat(again.counts().stopped()).isEqualTo(1);
    }

    @Test
    void networkConnectRecordsEndpoint() {
        String id = h.create("netc");
        h.mgr.networks().connect("netc", "mynet", null);
        var nets = h.mgr.inspect(id, false).networkSettings().networks();
        assertThat(nets).containsKeys("bridge", "mynet");
        assertThatThrownBy(() -> h.mgr.networks().connect("netc", "mynet", null)).extracting(e -> ((BerthException) e).kind())
                .isEqualTo(ErrorKind.CONFLICT);
        h.mgr.networks().disconnect("netc", "mynet", false);
        assertThat(h.mgr.inspect(id, false).networkSettings().networks()).containsOnlyKeys("bridge");
        assertThatThrownBy(() -> h.mgr.networks().connect("netc", "nonet", null)).hasMessage("network nonet not found");
    }

    @Test
    void volumesFromInheritsMounts() {
        h.create("vsrc", Harness.config("busybox"), Harness.host(Map.of("Binds", List.of("named:/shared"))));
        String id = h.create("vdst", Harness.config("busybox"), Harness.host(Map.of("VolumesFrom", List.of("vsrc:ro"))));
        assertThat(h.mgr.inspect(id, false).mounts()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("named");
            assertThat(m.rw()).isFalse();
        });
        h.mgr.remove(id, false, true, false);
        assertThat(h.volumes.vols).containsKey("named");
        assertThat(h.mgr.volumesInUse()).containsExactly("named");
    }

    private static dev.berth.api.model.ExecCreateRequest execReq(String... cmd) {
        return new dev.berth.api.model.ExecCreateRequest(false, true, true, null, null, false, null, List.of(cmd), false, null, null);
    }

    private Container internal(String id) {
        return engine().index.get(id);
    }

    private Engine engine() {
        return h.mgr.engine();
    }
}
