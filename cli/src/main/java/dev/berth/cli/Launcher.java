package dev.berth.cli;

import dev.berth.client.EngineAddress;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts Berth's other programs from the install ({@code -Dberth.home}, set by {@code bin/berth}):
 * the embedded-default engine ({@code bin/berthd} in the background when nothing answers at the
 * default socket and we are root) and {@code bin/berth-registry}; and docker's credential helper
 * programs ({@code docker-credential-*}, see {@link CredentialHelper}). Like {@link Terminal}, one
 * of the few places where the CLI spawns processes. Stateless.
 */
final class Launcher {
    static final Path DEFAULT_SOCKET = Path.of("/run/berth/berth.sock");
    static final Path LOG = Path.of("/var/log/berth/berthd.log");
    static final Path PIDFILE = Path.of("/run/berth/berthd.pid");

    private Launcher() {}

    static Path home() {
        String h = System.getProperty("berth.home");
        return h == null ? null : Path.of(h);
    }

    /**
     * When the engine would be the default socket (no -H, BERTH_HOST, DOCKER_HOST), nothing
     * answers there, we are root and {@code bin/berthd} exists: starts it detached, waits up to
     * 30 s for {@code /_ping}, and says so once on stderr. Otherwise does nothing (the command
     * then fails with the usual connection error).
     */
    static void ensureDefaultEngine(String explicitHost, Map<String, String> env) {
        EngineAddress a = EngineAddress.resolve(explicitHost, env);
        // Plain string compares: a record's equals bootstraps invokedynamic, costly at CLI start-up.
        if (!a.scheme().equals("unix") || !a.target().equals(DEFAULT_SOCKET.toString()) || answers(DEFAULT_SOCKET)
                || !isRoot()) {
            return;
        }
        Path home = home();
        Path berthd = home == null ? null : home.resolve("bin/berthd");
        if (berthd == null || !Files.isExecutable(berthd) || "0".equals(env.get("BERTH_EMBEDDED"))) {
            return;
        }
        try {
            Files.createDirectories(LOG.getParent());
            Files.createDirectories(DEFAULT_SOCKET.getParent());
            List<String> cmd = new ArrayList<>(List.of("setsid", "-f", berthd.toString(), "-H", EngineAddress.DEFAULT_HOST,
                    "--pidfile", PIDFILE.toString()));
            new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile()))
                    .redirectErrorStream(true).start().waitFor();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!answers(DEFAULT_SOCKET) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            String pid = Files.exists(PIDFILE) ? Files.readString(PIDFILE).trim() : "?";
            System.err.println("berth: started berthd (pid " + pid + ", log " + LOG + ")");
        } catch (IOException e) {
            System.err.println("berth: could not start berthd: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True when something accepts connections on the unix socket. */
    static boolean answers(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(java.net.UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean isRoot() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Uid:")) {
                    return l.split("\\s+")[2].equals("0"); // effective uid
                }
            }
        } catch (IOException ignored) {
            // not Linux: assume not root
        }
        return false;
    }

    /** Runs {@code bin/berth-registry args…} in the foreground; returns its exit code. */
    static int registry(List<String> args) throws IOException, InterruptedException {
        Path home = home();
        Path exe = home == null ? null : home.resolve("bin/berth-registry");
        if (exe == null || !Files.isExecutable(exe)) {
            System.err.println("berth: bin/berth-registry not found (run berth through bin/berth from a built tree)");
            return 127;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        return p.waitFor();
    }

    /** How a short-lived helper program exited and what it printed on stdout. */
    record Output(int exit, String stdout) {}

    /**
     * Runs {@code docker-credential-<helper> <action>} found on {@code PATH} (as docker does), or
     * in {@code dir} when not null (tests), feeding it {@code stdin}; its stderr goes to ours,
     * since some helpers prompt there.
     */
    static Output credentialHelper(Path dir, String helper, String action, byte[] stdin) throws IOException {
        String exe = "docker-credential-" + helper;
        Process p = new ProcessBuilder(dir == null ? exe : dir.resolve(exe).toString(), action)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // a helper that does not read its input (list) may have closed the pipe already
        }
        byte[] out = p.getInputStream().readAllBytes();
        try {
            return new Output(p.waitFor(), new String(out, java.nio.charset.StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while running " + exe);
        }
    }
}
