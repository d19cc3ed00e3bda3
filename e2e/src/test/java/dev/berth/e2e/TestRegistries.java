package dev.berth.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Registries the distribution tests start on free loopback ports, each a separate process that
 * {@link #close} stops: Berth's own ({@code dev.berth.registry.RegistryMain}, storage
 * {@code <root>/blobs/sha256/<hex>}) and Debian's distribution registry
 * ({@code /usr/bin/docker-registry}, package docker-registry) with its own config file. Thread-safe.
 */
final class TestRegistries implements AutoCloseable {
    static final Path DEBIAN_REGISTRY = Path.of("/usr/bin/docker-registry");

    /** A started registry: {@code host} is {@code 127.0.0.1:<port>}, {@code root} its storage directory. */
    record Registry(String host, Path root, Path log) {}

    private final List<Process> processes = new ArrayList<>();

    /** Starts Berth's registry (with basic auth from {@code htpasswd} when not null). */
    synchronized Registry berth(Engine e, Path htpasswd) throws IOException {
        int port = freePort();
        Path root = Files.createDirectories(e.dir.resolve("registry-" + port));
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", registryClasspath(e), "dev.berth.registry.RegistryMain",
                "--addr", "127.0.0.1:" + port, "--root", root.toString()));
        if (htpasswd != null) {
            argv.addAll(List.of("--htpasswd", htpasswd.toString()));
        }
        return start(argv, port, root, e.dir.resolve("registry-" + port + ".log"));
    }

    /** Starts Debian's distribution registry with a config file and storage under the engine's directory. */
    synchronized Registry debian(Engine e) throws IOException {
        int port = freePort();
        Path root = Files.createDirectories(e.dir.resolve("docker-registry-" + port));
        Path config = root.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: info
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                  secret: berth-e2e
                """.formatted(root.resolve("data"), port));
        return start(List.of(DEBIAN_REGISTRY.toString(), "serve", config.toString()), port, root.resolve("data"),
                e.dir.resolve("docker-registry-" + port + ".log"));
    }

    private Registry start(List<String> argv, int port, Path root, Path log) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        processes.add(p);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(argv.getFirst() + " exited: " + Files.readString(log));
            }
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return new Registry("127.0.0.1:" + port, root, log);
                }
            } catch (IOException ignored) {
                // not listening yet
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
            Engine.sleep(200);
        }
        throw new IllegalStateException("registry on port " + port + " did not start: " + Files.readString(log));
    }

    @Override
    public synchronized void close() {
        for (Process p : processes) {
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        processes.clear();
    }

    /** The registry jar (built tree, else the local Maven repository) plus the daemon's runtime libraries and bcprov. */
    private static String registryClasspath(Engine e) {
        Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository");
        List<String> cp = new ArrayList<>();
        try (Stream<Path> s = Files.exists(e.root.resolve("registry/target")) ? Files.list(e.root.resolve("registry/target")) : Stream.empty()) {
            s.map(Path::toString).filter(n -> n.matches(".*/berth-registry-[^/]*\\.jar") && !n.contains("-tests") && !n.contains("-sources"))
                    .findFirst().ifPresent(cp::add);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        if (cp.isEmpty()) {
            cp.add(m2.resolve("dev/berth/berth-registry/0.1.0-SNAPSHOT/berth-registry-0.1.0-SNAPSHOT.jar").toString());
        }
        cp.add(e.root.resolve("daemon/target/lib").toString() + "/*");
        cp.add(m2.resolve("org/bouncycastle/bcprov-jdk18on/1.87/bcprov-jdk18on-1.87.jar").toString());
        return String.join(":", cp);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
