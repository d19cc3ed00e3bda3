package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * docker push / pull / run-of-a-missing-image / login through berthd against Berth's own registry
 * ({@code dev.berth.registry.RegistryMain}, started as a separate JVM on free loopback ports: one
 * open, one with an htpasswd user). Loopback registries are insecure by default, as in Docker.
 */
class DistributionIT extends E2E {
    /** bcrypt of "e2e-secret" (as {@code htpasswd -B} writes it). */
    private static final String HTPASSWD = "e2e:$2y$10$Iftc1.2njYwW05kT4Ct0Y.Qwg.zgKzLKRivzhSkgEFXXuso/AetdO\n";
    private static final List<Process> REGISTRIES = new ArrayList<>();
    private static String open;
    private static String secured;

    DistributionIT(Engine e) throws IOException {
        super(e);
        synchronized (REGISTRIES) {
            if (open == null) {
                open = startRegistry(e, null);
                Path htpasswd = e.dir.resolve("e2e-htpasswd");
                Files.writeString(htpasswd, HTPASSWD);
                secured = startRegistry(e, htpasswd);
            }
        }
    }

    @AfterAll
    static void stopRegistries() throws InterruptedException {
        synchronized (REGISTRIES) {
            for (Process p : REGISTRIES) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            REGISTRIES.clear();
            open = null;
            secured = null;
        }
    }

    @Test
    void pushRemovePullRun() {
        String image = open + "/" + Engine.name("bb") + ":1";
        uniqueImage(image);
        String push = ok("push", image);
        assertThat(push).contains("The push refers to repository [" + image.substring(0, image.lastIndexOf(':')) + "]")
                .contains("Pushed").containsPattern("1: digest: sha256:[0-9a-f]{64} size: \\d+");
        // The same layers to another repository of the registry: mounted, not uploaded again.
        String other = open + "/" + Engine.name("mnt") + ":2";
        ok("tag", image, other);
        assertThat(ok("push", other)).contains("Mounted from " + image.substring(open.length() + 1, image.lastIndexOf(':')));
        ok("rmi", other);
        ok("rmi", image);
        assertThat(docker("image", "inspect", image).exit()).isEqualTo(1);

        String pull = ok("pull", image);
        assertThat(pull).contains("1: Pulling from ").contains("Pull complete").containsPattern("Digest: sha256:[0-9a-f]{64}")
                .contains("Status: Downloaded newer image for " + image);
        assertThat(inspect(image, "{{json .RepoDigests}}")).contains(image.substring(0, image.lastIndexOf(':')) + "@sha256:");
        assertThat(ok("run", "--rm", image, "echo", "ok")).isEqualTo("ok\n");
        assertThat(ok("pull", image)).contains("Status: Image is up to date for " + image);

        // Pull by digest.
        String digest = inspect(image, "{{index .RepoDigests 0}}");
        ok("rmi", image);
        assertThat(ok("pull", digest)).contains("Status: Downloaded newer image for " + digest);
        assertThat(ok("run", "--rm", digest, "echo", "by-digest")).isEqualTo("by-digest\n");
        ok("rmi", digest);
    }

    @Test
    void runPullsAMissingImage() {
        String image = open + "/" + Engine.name("run") + ":v";
        uniqueImage(image);
        ok("push", image);
        ok("rmi", image);
        Cmd.Result run = e.dockerIn(null, Duration.ofSeconds(120), "run", "--rm", image, "echo", "pulled-and-ran");
        assertThat(run.exit()).as(run.describe()).isZero();
        assertThat(run.out()).isEqualTo("pulled-and-ran\n");
        assertThat(run.err()).contains("Unable to find image '" + image + "' locally").contains("Pull complete");
        ok("rmi", image);
    }

    @Test
    void pullFailuresAreDockersMessagesAndLeaveNothing() throws IOException {
        String repo = open + "/" + Engine.name("missing");
        Cmd.Result unknown = docker("pull", repo + ":nope");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("Error response from daemon: ");
        assertThat(unknown.err()).satisfiesAnyOf(
                s -> assertThat(s).contains("manifest for " + repo + ":nope not found"),
                s -> assertThat(s).contains("pull access denied for " + repo));

        int closed = freePort();
        Cmd.Result unreachable = docker("pull", "127.0.0.1:" + closed + "/x/y:1");
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.err()).contains("Get \"http://127.0.0.1:" + closed + "/v2/\"").contains("connection refused");

        Cmd.Result noTag = docker("push", repo + ":absent");
        assertThat(noTag.exit()).isEqualTo(1);
        assertThat(noTag.err()).contains("tag does not exist: " + repo + ":absent");
    }

    @Test
    void loginWithHtpasswd() {
        Cmd.Result wrong = e.dockerIn("nope\n".getBytes(), Duration.ofSeconds(60),
                "login", "-u", "e2e", "--password-stdin", secured);
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).contains("login attempt to http://" + secured + "/v2/ failed with status: 401 Unauthorized");

        String image = secured + "/private/" + Engine.name("sec") + ":1";
        ok("tag", "busybox", image);
        Cmd.Result denied = docker("push", image);
        assertThat(denied.exit()).isEqualTo(1);
        assertThat(denied.err() + denied.out()).contains("unauthorized");

        Cmd.Result login = e.dockerIn("e2e-secret\n".getBytes(), Duration.ofSeconds(60),
                "login", "-u", "e2e", "--password-stdin", secured);
        assertThat(login.exit()).as(login.describe()).isZero();
        assertThat(login.out()).contains("Login Succeeded");
        try {
            ok("push", image);
            ok("rmi", image);
            assertThat(ok("pull", image)).contains("Status: Downloaded newer image for " + image);
            ok("rmi", image);
        } finally {
            docker("logout", secured);
        }
        Cmd.Result anonymous = docker("pull", image);
        assertThat(anonymous.exit()).isEqualTo(1);
        assertThat(anonymous.err()).contains("pull access denied for " + image.substring(0, image.lastIndexOf(':')));
    }

    // ---- fixtures

    /**
     * Imports busybox's root file system plus a file unique to {@code image} as {@code image}, so
     * its layer exists nowhere else in the store and a pull after {@code rmi} really downloads it.
     */
    private void uniqueImage(String image) {
        Path d = e.dir.resolve("uniq-" + Integer.toHexString(image.hashCode()));
        Cmd.Result r = e.sh("set -e; mkdir -p " + d + "/fs; tar -xf " + e.busyboxRootfs + " -C " + d + "/fs; echo '" + image
                + "' > " + d + "/fs/unique; tar -C " + d + "/fs -cf " + d + "/fs.tar .; " + Engine.DOCKER + " import --change 'CMD [\"sh\"]' "
                + d + "/fs.tar " + image + " >/dev/null; rm -rf " + d);
        assertThat(r.exit()).as(r.describe()).isZero();
    }

    /** Starts RegistryMain on a free loopback port; returns {@code 127.0.0.1:<port>} once /v2/ answers. */
    private static String startRegistry(Engine e, Path htpasswd) throws IOException {
        int port = freePort();
        Path root = Files.createDirectories(e.dir.resolve("registry-" + port));
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", registryClasspath(e), "dev.berth.registry.RegistryMain",
                "--addr", "127.0.0.1:" + port, "--root", root.toString()));
        if (htpasswd != null) {
            argv.addAll(List.of("--htpasswd", htpasswd.toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(e.dir.resolve("registry-" + port + ".log").toFile()));
        Process p = pb.start();
        REGISTRIES.add(p);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("registry exited: " + Files.readString(e.dir.resolve("registry-" + port + ".log")));
            }
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return "127.0.0.1:" + port;
                }
            } catch (IOException ignored) {
                // not listening yet
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
            Engine.sleep(200);
        }
        throw new IllegalStateException("registry on port " + port + " did not start");
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
