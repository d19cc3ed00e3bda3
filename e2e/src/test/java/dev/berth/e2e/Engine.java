package dev.berth.e2e;

import dev.berth.client.BerthClient;
import dev.berth.client.EngineAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One berthd for the whole e2e run: started from {@code bin/berthd} on a temp socket with temp
 * data and exec roots under {@code /tmp/berth-e2e-*}, with the busybox image loaded through
 * {@code docker load}. Offers the real docker CLI and {@code bin/berth} pointed at it. Shared by
 * all test classes (see {@link EngineExtension}); tests use unique container names.
 */
final class Engine implements AutoCloseable {
    static final String DOCKER = "/usr/local/bin/docker";
    private static final AtomicInteger SEQ = new AtomicInteger();
    /** The socket path e2e/pom.xml gives Testcontainers as DOCKER_HOST; a link to this run's socket. */
    static final Path WELL_KNOWN_SOCKET = Path.of("/run/berth-e2e.sock");

    final Path root;
    final Path dir;
    final Path socket;
    final Path dataRoot;
    final Path execRoot;
    final Path pidFile;
    final Path log;
    final Path dockerConfig;
    final Path busyboxArchive;
    final Path busyboxRootfs;
    private Process daemon;
    /** Daemon flags for the next {@link #start} beyond the roots and socket (see {@link #restart}). */
    private List<String> extraArgs = List.of();

    Engine() throws IOException {
        root = Path.of(System.getProperty("berth.root", "..")).toAbsolutePath().normalize();
        Path berthd = root.resolve("bin/berthd");
        if (!Files.isRegularFile(berthd)) {
            throw new IllegalStateException("e2e: " + berthd + " is missing; build first (scripts/setup.sh)");
        }
        try (Stream<Path> jars = Files.list(root.resolve("daemon/target"))) {
            if (jars.noneMatch(p -> p.getFileName().toString().endsWith(".jar"))) {
                throw new IllegalStateException("e2e: no daemon jar in " + root.resolve("daemon/target")
                        + "; run mvn -B -DskipTests package first");
            }
        } catch (IOException e) {
            throw new IllegalStateException("e2e: daemon/target missing; run mvn -B -DskipTests package first", e);
        }
        dir = Files.createTempDirectory(Path.of("/tmp"), "berth-e2e-");
        socket = dir.resolve("berth.sock");
        dataRoot = dir.resolve("data");
        // conmon's attach socket lives at <exec-root>/containers/<64 hex>/attach and a unix socket
        // path must fit in 108 bytes, so the exec root must be short.
        execRoot = Files.createDirectories(Path.of("/run/bte-" + ProcessHandle.current().pid()));
        pidFile = dir.resolve("berthd.pid");
        log = dir.resolve("berthd.log");
        dockerConfig = Files.createDirectories(dir.resolve("docker-config"));
        Files.writeString(dockerConfig.resolve("config.json"), "{}");
        busyboxArchive = dir.resolve("busybox.tar");
        busyboxRootfs = dir.resolve("busybox.rootfs.tar");
        try {
            start();
            // third-party clients configured once in the build (Testcontainers' DOCKER_HOST) find this engine here
            Files.deleteIfExists(WELL_KNOWN_SOCKET);
            Files.createSymbolicLink(WELL_KNOWN_SOCKET, socket);
            // If the test JVM dies without closing the run (killed build), do not leave berthd behind.
            Runtime.getRuntime().addShutdownHook(new Thread(this::stopDaemon, "berth-e2e-stop"));
            Cmd.Result mk = Cmd.run(List.of("bash", root.resolve("scripts/make-busybox-image.sh").toString(),
                    busyboxArchive.toString(), "busybox:latest"), Map.of(), null, Duration.ofSeconds(60));
            if (mk.exit() != 0) {
                throw new IllegalStateException("e2e: building the busybox image failed\n" + mk.describe());
            }
            Cmd.Result load = docker("load", "-i", busyboxArchive.toString());
            if (load.exit() != 0) {
                throw new IllegalStateException("e2e: docker load of busybox failed\n" + load.describe() + "\n" + logTail());
            }
        } catch (IOException | RuntimeException e) {
            close(); // do not leave a daemon or the temp directories behind
            throw e;
        }
    }

    /** Starts berthd (again) on the same socket and roots and waits for /_ping. */
    void start() throws IOException {
        List<String> argv = new ArrayList<>(List.of("bash", root.resolve("bin/berthd").toString(),
                "-H", "unix://" + socket, "--data-root", dataRoot.toString(), "--exec-root", execRoot.toString(),
                "--pidfile", pidFile.toString()));
        argv.addAll(extraArgs);
        // Extra daemon flags for debugging runs, e.g. BERTH_E2E_BERTHD_ARGS="--default-runtime runc -D".
        String extra = System.getenv("BERTH_E2E_BERTHD_ARGS");
        if (extra != null && !extra.isBlank()) {
            argv.addAll(List.of(extra.trim().split("\\s+")));
        }
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        daemon = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                throw new IllegalStateException("e2e: berthd exited with " + daemon.exitValue() + "\n" + logTail());
            }
            try {
                client().system().ping();
                return;
            } catch (RuntimeException e) {
                last = e;
            }
            sleep(200);
        }
        throw new IllegalStateException("e2e: berthd did not answer /_ping within 90s: " + last + "\n" + logTail());
    }

    /** SIGTERMs berthd if it is still running (idempotent). */
    private void stopDaemon() {
        Process p = daemon;
        if (p != null && p.isAlive()) {
            ProcessHandle.of(daemonPid()).ifPresent(ProcessHandle::destroy);
            p.destroy();
        }
    }

    /**
     * Stops berthd with SIGTERM (containers keep running) and starts it again with {@code args} added
     * to its flags; {@code restart(List.of())} returns to the default flags.
     */
    void restart(List<String> args) throws IOException {
        stopDaemon();
        try {
            daemon.waitFor(30, TimeUnit.SECONDS);
            long pid = daemonPid();
            for (int i = 0; i < 100 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) {
                sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        extraArgs = List.copyOf(args);
        start();
    }

    /** SIGKILLs berthd (and only berthd: its containers run under conmon and must survive). */
    void kill9() {
        long pid = daemonPid();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        daemon.destroyForcibly();
        try {
            daemon.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The pid of the berthd JVM: the pidfile if written, else the launched process. */
    long daemonPid() {
        try {
            return Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            return daemon.pid();
        }
    }

    BerthClient client() {
        return new BerthClient(EngineAddress.parse("unix://" + socket), null);
    }

    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DOCKER_HOST", "unix://" + socket);
        env.put("BERTH_HOST", "unix://" + socket);
        env.put("DOCKER_CONFIG", dockerConfig.toString());
        env.put("DOCKER_CLI_HINTS", "false");
        return env;
    }

    Cmd.Result docker(String... args) {
        return dockerIn(null, Duration.ofSeconds(60), args);
    }

    Cmd.Result dockerIn(byte[] stdin, Duration timeout, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(DOCKER);
        argv.addAll(List.of(args));
        return Cmd.run(argv, env(), stdin, timeout);
    }

    Cmd.Result berth(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(root.resolve("bin/berth").toString());
        argv.addAll(List.of(args));
        return Cmd.run(argv, env(), null, Duration.ofSeconds(60));
    }

    /** Runs a shell line with the engine's environment (for pipes and {@code script}). */
    Cmd.Result sh(String line) {
        return Cmd.run(List.of("bash", "-c", line), env(), null, Duration.ofSeconds(60));
    }

    /** A unique container/volume/network name for one test. */
    static String name(String prefix) {
        return "e2e-" + prefix + "-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "--- berthd log (tail)\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no berthd log)";
        }
    }

    @Override
    public void close() {
        try {
            if (Files.isSymbolicLink(WELL_KNOWN_SOCKET) && Files.readSymbolicLink(WELL_KNOWN_SOCKET).equals(socket)) {
                Files.delete(WELL_KNOWN_SOCKET);
            }
        } catch (IOException e) {
            // a stale link is replaced by the next run
        }
        try {
            if (daemon != null && daemon.isAlive()) {
                Cmd.Result ids = docker("ps", "-aq");
                for (String id : ids.out().split("\\s+")) {
                    if (!id.isBlank()) {
                        docker("rm", "-f", id);
                    }
                }
                long pid = daemonPid();
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
                daemon.destroy();
                if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    daemon.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            keepLog();
            unmountUnder(dir);
            unmountUnder(execRoot);
            deleteTree(dir);
            deleteTree(execRoot);
        }
    }

    /** Copies berthd's log to target/e2e-logs (the run's directory is deleted). */
    private void keepLog() {
        try {
            Path logs = Files.createDirectories(Path.of(System.getProperty("berth.e2e.logs", "target/e2e-logs")));
            Files.copy(log, logs.resolve("berthd-" + dir.getFileName() + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // best-effort
        }
    }

    /** Lazily unmounts anything berthd left mounted under {@code base} (deepest first). */
    static void unmountUnder(Path base) {
        List<String> mounts = mountsUnder(base.toString());
        mounts.sort(Comparator.reverseOrder());
        for (String m : mounts) {
            Cmd.run("umount", "-l", m);
        }
    }

    static List<String> mountsUnder(String prefix) {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 1 && f[1].startsWith(prefix)) {
                    out.add(f[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void deleteTree(Path p) {
        Cmd.run("rm", "-rf", "--one-file-system", p.toString());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
