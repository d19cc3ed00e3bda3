package dev.berth.runtime;

import dev.berth.common.BerthException;
import dev.berth.oci.Mount;
import dev.berth.sys.cgroup.Cgroups;
import dev.berth.sys.proc.ProcFs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs real containers with runc under conmon (root only). Ids are prefixed {@code btrt-}. */
class ConmonRuntimeDriverIT {
    static Path base;
    static Path image;
    static ConmonRuntimeDriver driver;
    /** The runtime under test; {@link CrunConmonRuntimeDriverIT} switches to crun. */
    static Path runtimeBin = Path.of("/usr/sbin/runc");
    static String runtimeName = "runc";

    @BeforeAll
    static void setUp() throws IOException {
        runtimeBin = Path.of("/usr/sbin/runc");
        runtimeName = "runc";
        setUp(runtimeBin, runtimeName);
    }

    static void setUp(Path bin, String name) throws IOException {
        tearDown(); // a subclass's @BeforeAll runs after the inherited one: drop what that one made
        runtimeBin = bin;
        runtimeName = name;
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/conmon")) && Files.isExecutable(Path.of("/usr/sbin/runc")));
        base = Path.of("/tmp/btrt-it-" + ProcessHandle.current().pid() + "-" + name);
        image = base.resolve("image");
        Files.createDirectories(image.resolve("bin"));
        Files.createDirectories(image.resolve("etc"));
        Files.createDirectories(image.resolve("tmp"));
        Files.copy(Path.of("/bin/busybox"), image.resolve("bin/busybox"));
        for (String applet : List.of("sh", "echo", "cat", "sleep", "true", "grep", "unshare", "stty", "tty", "id", "ls")) {
            Files.createSymbolicLink(image.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Files.writeString(image.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n");
        Files.writeString(image.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
        driver = ConmonRuntimeDriver.forHost(runtimeBin, runtimeName, Path.of("/usr/bin/conmon"), base.resolve("rt"), new dev.berth.sys.mount.LinuxMounter(dev.berth.sys.proc.ProcFs.host()));
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (base == null || !Files.exists(base)) {
            return;
        }
        for (RuntimeDriver.RestoredContainer c : driver.restore()) {
            driver.delete(c.id());
        }
        try (Stream<Path> s = Files.walk(base)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** An overlay rootfs over the busybox image, so the driver's Mounter is exercised. */
    static RuntimeDriver.CreateRequest request(String id, List<String> args, boolean tty, boolean openStdin) throws IOException {
        Path c = base.resolve("c").resolve(id);
        Files.createDirectories(c.resolve("upper"));
        Files.createDirectories(c.resolve("work"));
        Mount overlay = new Mount("overlay", "overlay", null,
                List.of("lowerdir=" + image, "upperdir=" + c.resolve("upper"), "workdir=" + c.resolve("work")));
        RuntimeContainerSpec spec = new RuntimeContainerSpec(id, c.resolve("rootfs"), List.of(overlay), false, args, List.of(), "/", "",
                List.of(), "btrt", "", tty, List.of(), Fixtures.security(), null,
                new RuntimeContainerSpec.Namespaces(null, null, null, null, List.of(), List.of()),
                new RuntimeContainerSpec.Resources(256L << 20, null, null, null, null, null, null, null, 200L, null, null, null),
                List.of(), Map.of(), List.of(), 0, false, "/berth", Map.of());
        return new RuntimeDriver.CreateRequest(spec, base.resolve("rt/containers").resolve(id), c.resolve("ctr.log"), 0, openStdin, true);
    }

    static void assertGone(String id, Path rootfs) throws IOException {
        assertThat(ProcFs.host().mountPoints()).doesNotContain(rootfs.toString());
        for (Path d : Cgroups.host().allDirs("/berth/" + id)) {
            assertThat(d).doesNotExist();
        }
    }

    static void spooled(RuntimeDriver.CreateRequest req, RuntimeDriver.LogConsumer consumer) throws IOException {
        try (RuntimeDriver.OutputSpool spool = driver.openOutputSpool(req.outputSpool())) {
            spool.drain(consumer);
        }
    }

    @Test
    void spoolRotatedByConmonLosesNothingWhileDrained() throws Exception {
        String id = "btrt-spool";
        RuntimeDriver.CreateRequest base = request(id, List.of("sh", "-c",
                "s=$(head -c 1000 /dev/zero | tr '\\0' x); i=0; while [ $i -lt 300 ]; do echo line-$i-$s; i=$((i+1)); usleep 1000; done"),
                false, false);
        RuntimeDriver.CreateRequest req = new RuntimeDriver.CreateRequest(base.spec(), base.bundleDir(), base.outputSpool(), 65536, false, false);
        List<String> lines = new ArrayList<>();
        StringBuilder partial = new StringBuilder();
        try (RuntimeDriver.OutputSpool spool = driver.openOutputSpool(req.outputSpool())) {
            RuntimeDriver.LogConsumer collect = e -> {
                partial.append(new String(e.data(), StandardCharsets.UTF_8));
                if (partial.charAt(partial.length() - 1) == '\n') {
                    lines.add(partial.toString().strip());
                    partial.setLength(0);
                }
            };
            driver.create(req);
            driver.start(id);
            java.util.concurrent.CompletableFuture<RuntimeDriver.ExitStatus> exit = driver.awaitExit(id);
            for (int polls = 0; !exit.isDone() && polls < 20_000; polls++) {
                spool.drain(collect);
                Thread.sleep(1);
            }
            Thread.sleep(200);
            spool.drain(collect);
        }
        assertThat(Files.size(req.outputSpool())).as("conmon rotated the spool").isLessThan(65536 + 2000);
        driver.delete(id);
        // conmon started a new spool file four times or more (300 KB in files of 64 KiB), each read to its end
        assertThat(lines).hasSize(300);
        for (int i = 0; i < 300; i++) {
            assertThat(lines.get(i)).startsWith("line-" + i + "-xxx").hasSize(1000 + 6 + String.valueOf(i).length());
        }
    }

    @Test
    void attachStdinOutputAndExitCode() throws Exception {
        String id = "btrt-attach";
        RuntimeDriver.CreateRequest req = request(id, List.of("sh", "-c", "echo out; echo err >&2; cat; echo done; exit 3"), false, true);
        RuntimeDriver.Created created = driver.create(req);
        assertThat(created.pid()).isPositive();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (RuntimeDriver.AttachConnection a = driver.attach(id)) {
            Thread pump = Thread.ofVirtual().start(() -> {
                try {
                    a.pump((stderr, b, off, len) -> (stderr ? err : out).write(b, off, len));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            driver.start(id);
            a.stdin().write("input\n".getBytes(StandardCharsets.UTF_8));
            a.stdin().close();
            pump.join(10_000);
        }
        RuntimeDriver.ExitStatus exit = driver.awaitExit(id).get(10, TimeUnit.SECONDS);
        assertThat(exit.exitCode()).isEqualTo(3);
        assertThat(exit.oomKilled()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("out\ninput\ndone\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("err\n");
        List<String> logged = new ArrayList<>();
        spooled(req, e -> logged.add((e.stderr() ? "E:" : "O:") + new String(e.data(), StandardCharsets.UTF_8)));
        assertThat(logged).containsExactlyInAnyOrder("O:out\n", "E:err\n", "O:input\n", "O:done\n");
        driver.delete(id);
        assertGone(id, req.spec().rootfs());
    }

    @Test
    void execSecurityTtyStatsKillDelete() throws Exception {
        String id = "btrt-exec";
        RuntimeDriver.CreateRequest req = request(id, List.of("sleep", "1000"), false, false);
        driver.create(req);
        driver.start(id);

        Exec status = exec(id, List.of("grep", "-E", "^(CapEff|Seccomp):", "/proc/self/status"), false, false);
        assertThat(status.code).isZero();
        assertThat(status.out).contains("CapEff:\t00000000a80425fb").contains("Seccomp:\t2");

        Exec unshare = exec(id, List.of("unshare", "-n", "true"), false, false);
        assertThat(unshare.code).isNotZero();

        Exec priv = exec(id, List.of("grep", "^CapEff:", "/proc/self/status"), false, true);
        assertThat(priv.out).contains("CapEff:\t000001fffeffffff");

        Exec tty = exec(id, List.of("sh", "-c", "tty; stty size; exit 4"), true, false);
        assertThat(tty.code).isEqualTo(4);
        assertThat(tty.out).contains("/dev/pts/").contains("30 100");

        assertThat(driver.pids(id)).isNotEmpty();
        Map<String, Object> stats = driver.stats(id);
        assertThat(stats).containsKeys("cpu_stats", "memory_stats", "pids_stats", "blkio_stats");
        @SuppressWarnings("unchecked")
        Map<String, Object> mem = (Map<String, Object>) stats.get("memory_stats");
        assertThat((Long) mem.get("limit")).isEqualTo(256L << 20);

        driver.pause(id);
        assertThat(driver.restore()).anySatisfy(r -> {
            assertThat(r.id()).isEqualTo(id);
            assertThat(r.paused()).isTrue();
        });
        driver.resume(id);

        driver.kill(id, 9, false);
        RuntimeDriver.ExitStatus exit = driver.awaitExit(id).get(10, TimeUnit.SECONDS);
        assertThat(exit.exitCode()).isEqualTo(137);
        assertThatThrownBy(() -> driver.kill(id, 15, false)).isInstanceOf(BerthException.class);
        driver.delete(id);
        assertGone(id, req.spec().rootfs());
        assertThat(driver.restore()).noneMatch(r -> r.id().equals(id));
    }

    @Test
    void ttyContainerAndResize() throws Exception {
        String id = "btrt-tty";
        RuntimeDriver.CreateRequest req = request(id, List.of("sh", "-c", "sleep 0.5; stty size; tty"), true, true);
        driver.create(req);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (RuntimeDriver.AttachConnection a = driver.attach(id)) {
            Thread pump = Thread.ofVirtual().start(() -> {
                try {
                    a.pump((stderr, b, off, len) -> out.write(b, off, len));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            driver.start(id);
            driver.resize(id, 40, 120);
            pump.join(10_000);
        }
        assertThat(driver.awaitExit(id).get(10, TimeUnit.SECONDS).exitCode()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("40 120").contains("/dev/pts/");
        driver.delete(id);
        assertGone(id, req.spec().rootfs());
    }

    @Test
    void createFailureIsReportedAndUndone() throws Exception {
        String id = "btrt-fail";
        RuntimeDriver.CreateRequest req = request(id, List.of("/nonexistent"), false, false);
        assertThatThrownBy(() -> driver.create(req)).isInstanceOf(BerthException.class)
                .hasMessageContaining("/nonexistent").hasMessageContaining("no such file or directory");
        assertGone(id, req.spec().rootfs());
        assertThat(driver.restore()).noneMatch(r -> r.id().equals(id));
    }

    @Test
    void restoreFromAnotherDriverInstance() throws Exception {
        String id = "btrt-restore";
        RuntimeDriver.CreateRequest req = request(id, List.of("sleep", "1000"), false, false);
        driver.create(req);
        driver.start(id);
        ConmonRuntimeDriver again = ConmonRuntimeDriver.forHost(runtimeBin, runtimeName, Path.of("/usr/bin/conmon"), base.resolve("rt"), new dev.berth.sys.mount.LinuxMounter(dev.berth.sys.proc.ProcFs.host()));
        assertThat(again.restore()).anySatisfy(r -> {
            assertThat(r.id()).isEqualTo(id);
            assertThat(r.running()).isTrue();
            assertThat(r.pid()).isPositive();
        });
        again.kill(id, 9, true); // sleep as pid 1 ignores SIGTERM
        assertThat(again.awaitExit(id).get(10, TimeUnit.SECONDS).exitCode()).isEqualTo(137);
        again.delete(id);
        assertGone(id, req.spec().rootfs());
    }

    @Test
    void initReadonlyRootfsUserAndUpdate() throws Exception {
        String id = "btrt-init";
        RuntimeDriver.CreateRequest base = request(id, List.of("sh", "-c", "cat /proc/1/cmdline; echo; echo x > /x || echo ROFAIL; sleep 1000"), false, false);
        RuntimeContainerSpec b = base.spec();
        RuntimeContainerSpec spec = new RuntimeContainerSpec(id, b.rootfs(), b.rootfsMounts(), true, b.args(), b.env(), b.cwd(), b.user(),
                b.additionalGroups(), b.hostname(), b.domainname(), false, b.mounts(), b.security(), null, b.namespaces(),
                // blkio weight only where the runtime can apply it (crun 1.8 has no BFQ fallback)
                new RuntimeContainerSpec.Resources(256L << 20, null, null, 512L, 50000L, 100000L, null, null, 100L,
                        driver.specBuilder().host().blkioWeight() ? 300 : null, null, null),
                List.of(new RuntimeContainerSpec.Ulimit("nofile", 512, 1024)), Map.of(), List.of(), 0, true, "/berth", Map.of());
        RuntimeDriver.CreateRequest req = new RuntimeDriver.CreateRequest(spec, base.bundleDir(), base.outputSpool(), 65536, false, false);
        driver.create(req);
        driver.start(id);
        Thread.sleep(300);
        List<String> logged = new ArrayList<>();
        spooled(req, e -> logged.add(new String(e.data(), StandardCharsets.UTF_8)));
        assertThat(String.join("", logged)).contains("/sbin/docker-init").contains("ROFAIL");
        Exec user = exec(id, List.of("sh", "-c", "id -u; grep \"open files\" /proc/self/limits"), false, false, "nobody");
        assertThat(user.out).startsWith("65534\n").containsPattern("open files +512 +1024");
        driver.update(id, new RuntimeContainerSpec.Resources(128L << 20, null, null, null, null, null, null, null, null, null, null, null));
        @SuppressWarnings("unchecked")
        Map<String, Object> mem = (Map<String, Object>) driver.stats(id).get("memory_stats");
        assertThat((Long) mem.get("limit")).isEqualTo(128L << 20);
        Path blkio = Cgroups.host().v1Dir("blkio", "/berth/" + id).orElseThrow();
        if (driver.specBuilder().host().blkioWeight()) {
            assertThat(Files.exists(blkio.resolve("blkio.weight")) ? Files.readString(blkio.resolve("blkio.weight")).trim()
                    : Files.readString(blkio.resolve("blkio.bfq.weight")).trim()).endsWith("300");
        }
        driver.kill(id, 15, false); // catatonit forwards SIGTERM; sh as its child dies of it
        assertThat(driver.awaitExit(id).get(10, TimeUnit.SECONDS).exitCode()).isEqualTo(143);
        driver.delete(id);
        assertGone(id, req.spec().rootfs());
    }

    record Exec(int code, String out) {}

    static Exec exec(String id, List<String> args, boolean tty, boolean privileged) throws Exception {
        return exec(id, args, tty, privileged, "");
    }

    static Exec exec(String id, List<String> args, boolean tty, boolean privileged, String user) throws Exception {
        RuntimeDriver.ExecProcess p = driver.exec(id, new RuntimeDriver.ExecSpec("e" + System.nanoTime(), args, List.of(), "", user,
                tty, privileged, false, 30, 100));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.pump((stderr, b, off, len) -> out.write(b, off, len));
        int code = p.waitFor();
        p.close();
        return new Exec(code, out.toString(StandardCharsets.UTF_8));
    }
}
