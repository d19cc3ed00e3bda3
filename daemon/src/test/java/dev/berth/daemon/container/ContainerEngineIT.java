package dev.berth.daemon.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.backend.ContainerBackend;
import dev.berth.api.backend.HijackedStreams;
import dev.berth.api.backend.OutputSink;
import dev.berth.api.backend.StdStream;
import dev.berth.api.model.ContainerCreateRequest;
import dev.berth.common.Json;
import dev.berth.daemon.config.DaemonConfig;
import dev.berth.image.LocalImageService;
import dev.berth.network.NetworkService;
import dev.berth.runtime.ConmonRuntimeDriver;
import dev.berth.volume.LocalVolumeService;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container engine on the real image store, runc under conmon and local volumes (needs root).
 * Networking is faked with host-namespace sandboxes so that no bridge or rule is touched.
 */
class ContainerEngineIT {
    static Path root;
    static Path rtRoot;
    static ContainerManager mgr;
    static Fakes.Events events = new Fakes.Events();

    @BeforeAll
    static void setUp() throws Exception {
        root = Files.createTempDirectory(Path.of("/tmp"), "btctr-");
        LocalImageService images = new LocalImageService(root.resolve("data"));
        images.importRootfs(new ByteArrayInputStream(busyboxTar()), "btctr/busybox:latest", List.of("CMD [\"sh\"]"), "", null);
        Path execRoot = root.resolve("x");
        // conmon's attach socket path must stay under 108 bytes
        rtRoot = Path.of("/tmp", "btrt" + ProcessHandle.current().pid());
        var driver = ConmonRuntimeDriver.forHost(Path.of("/usr/sbin/runc"), "runc", Path.of("/usr/bin/conmon"), rtRoot, new dev.berth.sys.mount.LinuxMounter(dev.berth.sys.proc.ProcFs.host()));
        DaemonConfig d = DaemonConfig.defaults();
        DaemonConfig cfg = new DaemonConfig(d.hosts(), root.resolve("data"), execRoot, d.pidFile(), "runc", "info", "json-file", Map.of(),
                false, null, null, null, false, "", true, null, "0.0.0.0", List.of(), List.of(), List.of(), false, "/btctr", true);
        mgr = new ContainerManager(cfg, images, Map.of("runc", driver), "runc", new HostNetwork(),
                new LocalVolumeService(root.resolve("data")), events, java.time.Clock.systemUTC());
        mgr.restore();
    }

    @AfterAll
    static void tearDown() {
        if (mgr != null) {
            for (var s : mgr.list(true, 0, false, dev.berth.common.Filters.NONE)) {
                try {
                    mgr.remove(s.id(), true, true, false);
                } catch (RuntimeException ignored) {
                    // best effort
                }
            }
            mgr.shutdown();
        }
        Engine.quietly("cleanup", () -> ContainerStore.deleteTree(rtRoot));
        Engine.quietly("cleanup", () -> ContainerStore.deleteTree(root));
        // the parent cgroup "/btctr" of the test containers (empty by now)
        try (var dirs = Files.list(Path.of("/sys/fs/cgroup"))) {
            dirs.map(d -> d.resolve("btctr")).forEach(d -> d.toFile().delete());
        } catch (java.io.IOException ignored) {
            // no cgroupfs
        }
    }

    static byte[] busyboxTar() throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bos)) {
            for (String dir : List.of("bin/", "etc/", "tmp/", "proc/", "sys/", "dev/", "data/")) {
                TarArchiveEntry e = new TarArchiveEntry(dir);
                e.setMode(dir.equals("tmp/") ? 01777 : 0755);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            byte[] seed = "seeded\n".getBytes();
            TarArchiveEntry s = new TarArchiveEntry("data/file");
            s.setSize(seed.length);
            s.setMode(0644);
            tar.putArchiveEntry(s);
            tar.write(seed);
            tar.closeArchiveEntry();
            byte[] bb = Files.readAllBytes(Path.of("/bin/busybox"));
            TarArchiveEntry e = new TarArchiveEntry("bin/busybox");
            e.setSize(bb.length);
            e.setMode(0755);
            tar.putArchiveEntry(e);
            tar.write(bb);
            tar.closeArchiveEntry();
            for (String app : List.of("sh", "echo", "cat", "sleep", "ls", "true", "false", "id", "hostname")) {
                TarArchiveEntry l = new TarArchiveEntry("bin/" + app, TarConstants.LF_SYMLINK);
                l.setLinkName("busybox");
                tar.putArchiveEntry(l);
                tar.closeArchiveEntry();
            }
        }
        return bos.toByteArray();
    }

    static String create(String name, List<String> cmd, Map<String, Object> extra) {
        Map<String, Object> c = new java.util.HashMap<>(Map.of("Image", "btctr/busybox", "Cmd", cmd));
        c.putAll(extra);
        var cfg = Json.mapper().convertValue(c, dev.berth.api.model.ContainerConfig.class);
        return mgr.create(new ContainerCreateRequest(name, null, cfg, null, null)).id();
    }

    @Test
    void runsToExitWithLogs() throws Exception {
        String id = create("btctr-exit", List.of("sh", "-c", "echo hello; echo err >&2; exit 3"), Map.of());
        var wait = mgr.waitFor(id, "next-exit");
        mgr.start(id, null);
        assertThat(wait.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(3);
        Sink out = new Sink();
        mgr.logs(id, new ContainerBackend.LogsOptions(false, true, true, 0, 0, false, "all"), out);
        assertThat(out.text(StdStream.STDOUT)).isEqualTo("hello\n");
        assertThat(out.text(StdStream.STDERR)).isEqualTo("err\n");
        assertThat(mgr.inspect(id, false).state().status()).isEqualTo("exited");
        mgr.remove(id, false, false, false);
    }

    @Test
    void execTopStatsStop() throws Exception {
        String id = create("btctr-sleep", List.of("sleep", "60"), Map.of());
        mgr.start(id, null);
        String ex = mgr.execBackend().create(id, new dev.berth.api.model.ExecCreateRequest(false, true, true, null, null, false, null,
                List.of("sh", "-c", "echo in-exec; exit 5"), false, null, null));
        Sink out = new Sink();
        mgr.execBackend().start(ex, false, null, null, new Streams(null, out));
        assertThat(out.text(StdStream.STDOUT)).isEqualTo("in-exec\n");
        assertThat(mgr.execBackend().inspect(ex).exitCode()).isEqualTo(5);
        var top = mgr.top(id, null);
        assertThat(top.processes()).anySatisfy(p -> assertThat(p.get(7)).isEqualTo("sleep 60"));
        long t0 = System.nanoTime();
        mgr.stop(id, 1, null);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
        assertThat(mgr.inspect(id, false).state().exitCode()).isEqualTo(137);
        mgr.remove(id, false, false, false);
    }

    @Test
    void attachBeforeStartAndVolumeSeeding() throws Exception {
        String id = create("btctr-attach", List.of("sh", "-c", "cat /data/file; echo done"),
                Map.of("AttachStdout", true, "AttachStderr", true, "Volumes", Map.of("/data", Map.of())));
        Sink out = new Sink();
        Thread t = Thread.ofVirtual().start(() -> mgr.attach(id, new ContainerBackend.AttachOptions(true, false, false, true, true, null),
                new Streams(null, out)));
        Thread.sleep(200);
        mgr.start(id, null);
        t.join(20_000);
        assertThat(out.text(StdStream.STDOUT)).isEqualTo("seeded\ndone\n");
        assertThat(mgr.volumesInUse()).hasSize(1);
        // the attach stream ends at output EOF, which can come before the exit is recorded
        mgr.waitFor(id, "not-running").get(10, java.util.concurrent.TimeUnit.SECONDS);
        mgr.remove(id, false, true, false);
        assertThat(mgr.volumesInUse()).isEmpty();
    }

    @Test
    void exportTarsTheRootfs() throws Exception {
        String id = create("btctr-export", List.of("true"), Map.of());
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        mgr.export(id, bos);
        List<String> names = new java.util.ArrayList<>();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new ByteArrayInputStream(bos.toByteArray()))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        assertThat(names).contains("bin/busybox", "bin/sh", "data/file");
        mgr.remove(id, false, false, false);
    }

    record Streams(InputStream stdin, OutputSink output) implements HijackedStreams {}

    static final class Sink implements OutputSink {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();

        @Override
        public synchronized void write(StdStream stream, byte[] data, int offset, int length) {
            (stream == StdStream.STDERR ? err : out).write(data, offset, length);
        }

        @Override public void flush() { }
        @Override public boolean isClosed() { return false; }

        synchronized String text(StdStream s) {
            return (s == StdStream.STDERR ? err : out).toString();
        }
    }

    /** Sandboxes in the host's network namespace: no kernel network effects in this test. */
    static final class HostNetwork implements NetworkService {
        @Override public void start() { }
        @Override public Sandbox createSandbox(SandboxRequest r) {
            return new Sandbox(r.containerId(), "sb", null, Map.of(), Map.of(), null, null, null);
        }
        @Override public void removeSandbox(String id) { }
        @Override public Optional<Sandbox> sandbox(String id) { return Optional.empty(); }
        @Override public List<NetworkInfo> networks() { return List.of(); }
        @Override public NetworkInfo network(String n) { throw new UnsupportedOperationException(); }
        @Override public NetworkInfo createNetwork(NetworkSpec spec) { throw new UnsupportedOperationException(); }
        @Override public void removeNetwork(String n) { }
        @Override public Endpoint connect(String c, String n, EndpointRequest r) { throw new UnsupportedOperationException(); }
        @Override public void disconnect(String c, String n, boolean f) { }
    }
}
