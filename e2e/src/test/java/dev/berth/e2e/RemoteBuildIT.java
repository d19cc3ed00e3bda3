package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Remote build contexts, served from a loopback HTTP server in this JVM: a git repository (dumb
 * HTTP protocol, {@code #branch:subdir}), a gzip tarball and a bare Dockerfile. Each is built
 * twice — by the docker CLI, which clones/downloads on the client and sends a tar (DOCKER_BUILDKIT=0),
 * and daemon-side through {@code POST /build?remote=} (berth's CLI and the raw API, as docker-py's
 * {@code images.build(remote=…)} calls it) — and both images must run the same. Plus dockerd's
 * HTTP error for a missing remote.
 */
class RemoteBuildIT extends E2E {
    RemoteBuildIT(Engine e) {
        super(e);
    }

    private HttpServer server;
    private String base;
    private Path served;
    private byte[] tarball;

    @BeforeEach
    void serve() throws Exception {
        served = Files.createDirectories(e.dir.resolve(Engine.name("remote")));
        makeRepo();
        tarball = gzip(tar(Map.of(
                "Dockerfile", "FROM busybox\nCOPY msg.txt /msg.txt\nCMD [\"cat\", \"/msg.txt\"]\n",
                "msg.txt", "hello from a tarball\n")));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServerAndRemoveImages() {
        if (server != null) {
            server.stop(0);
        }
        // other tests compare whole image tables with docker's: leave none of ours behind
        for (String repo : e.sh(Engine.DOCKER + " images --format '{{.Repository}}'").out().lines().toList()) {
            if (repo.matches("e2e-r(git|tar|df)-.*")) {
                e.sh(Engine.DOCKER + " rmi -f " + repo);
            }
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        byte[] body = null;
        String type = "application/octet-stream";
        if (path.equals("/ctx.tar.gz")) {
            body = tarball;
            type = "application/x-gzip";
        } else if (path.equals("/Dockerfile")) {
            body = "FROM busybox\nRUN echo only-a-dockerfile > /x\nCMD [\"cat\", \"/x\"]\n".getBytes(StandardCharsets.UTF_8);
            type = "text/plain; charset=utf-8";
        } else if (path.startsWith("/repo.git/")) {
            Path f = served.resolve(path.substring(1)).normalize();
            if (f.startsWith(served) && Files.isRegularFile(f)) {
                body = Files.readAllBytes(f);
            }
        }
        if (body == null) {
            body = "404 page not found\n".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain");
            ex.sendResponseHeaders(404, body.length);
        } else {
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(200, ex.getRequestMethod().equals("HEAD") ? -1 : body.length);
        }
        try (OutputStream out = ex.getResponseBody()) {
            if (!ex.getRequestMethod().equals("HEAD")) {
                out.write(body);
            }
        }
    }

    private void git(Path dir, String... args) {
        List<String> argv = new ArrayList<>(List.of("git", "-C", dir.toString(), "-c", "user.name=e2e", "-c", "user.email=e2e@example.com",
                "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"));
        argv.addAll(List.of(args));
        Cmd.Result r = Cmd.run(argv, Map.of("GIT_CONFIG_NOSYSTEM", "1", "GIT_CONFIG_GLOBAL", "/dev/null"), null,
                Duration.ofSeconds(60));
        assertThat(r.exit()).as(r.describe()).isZero();
    }

    /** main has only a README; branch "feature" has the build in sub/; served bare as /repo.git. */
    private void makeRepo() throws IOException {
        Path work = Files.createDirectories(served.resolve("work"));
        git(work, "init", "-q");
        Files.writeString(work.resolve("README"), "main\n");
        git(work, "add", ".");
        git(work, "commit", "-q", "-m", "one");
        git(work, "checkout", "-q", "-b", "feature");
        Files.createDirectories(work.resolve("sub"));
        Files.writeString(work.resolve("sub/Dockerfile"),
                "FROM busybox\nCOPY hello.txt /hello.txt\nCMD [\"cat\", \"/hello.txt\"]\n");
        Files.writeString(work.resolve("sub/hello.txt"), "hello from git\n");
        git(work, "add", ".");
        git(work, "commit", "-q", "-m", "two");
        git(served, "clone", "-q", "--bare", work.toString(), "repo.git");
        git(served.resolve("repo.git"), "update-server-info");
    }

    private Cmd.Result dockerBuild(String tag, String context) {
        return e.sh("DOCKER_BUILDKIT=0 " + Engine.DOCKER + " build -t " + tag + " '" + context + "'");
    }

    /** The raw API call docker-py makes for {@code images.build(remote=…, tag=…)}: no body. */
    private Cmd.Result apiBuild(String tag, String remote) {
        String url = "http://x/v1.50/build?t=" + tag + "&remote=" + java.net.URLEncoder.encode(remote, StandardCharsets.UTF_8);
        return e.sh("curl -sS -o /dev/stdout -w '\\nHTTP %{http_code}\\n' --unix-socket '" + e.socket
                + "' -X POST -H 'Content-Type: application/tar' '" + url + "'");
    }

    private String runs(String image) {
        return ok("run", "--rm", image);
    }

    private String config(String image) {
        return ok("image", "inspect", "-f", "{{json .Config.Cmd}} {{.Config.WorkingDir}} {{len .RootFS.Layers}}", image).trim();
    }

    @Test
    void gitContextBuildsTheSameOnClientAndDaemon() {
        String url = base + "/repo.git#feature:sub";
        String cli = Engine.name("rgit-cli");
        String berth = Engine.name("rgit-berth");
        String api = Engine.name("rgit-api");
        Cmd.Result c = dockerBuild(cli, url);
        assertThat(c.exit()).as(c.describe()).isZero();
        Cmd.Result b = e.berth("build", "-t", berth, url);
        assertThat(b.exit()).as(b.describe()).isZero();
        Cmd.Result a = apiBuild(api, url);
        assertThat(a.out()).as(a.describe()).contains("HTTP 200").contains("Successfully tagged " + api + ":latest")
                .doesNotContain("errorDetail");
        for (String img : List.of(cli, berth, api)) {
            assertThat(runs(img)).as(img).isEqualTo("hello from git\n");
        }
        assertThat(config(berth)).isEqualTo(config(cli));
        assertThat(config(api)).isEqualTo(config(cli));
        // a missing branch fails the daemon-side clone with dockerd's message and a 500
        Cmd.Result bad = apiBuild(Engine.name("rgit-bad"), base + "/repo.git#nosuch");
        assertThat(bad.out()).as(bad.describe()).contains("HTTP 500").contains("error fetching: ");
        // and a subdirectory outside the repository is refused
        Cmd.Result out = apiBuild(Engine.name("rgit-out"), base + "/repo.git#feature:../..");
        assertThat(out.out()).as(out.describe()).contains("not within git root");
    }

    @Test
    void tarballContextBuildsTheSameOnClientAndDaemon() {
        String url = base + "/ctx.tar.gz";
        String cli = Engine.name("rtar-cli");
        String berth = Engine.name("rtar-berth");
        String api = Engine.name("rtar-api");
        Cmd.Result c = dockerBuild(cli, url);
        assertThat(c.exit()).as(c.describe()).isZero();
        Cmd.Result b = e.berth("build", "-t", berth, url);
        assertThat(b.exit()).as(b.describe()).isZero();
        Cmd.Result a = apiBuild(api, url);
        assertThat(a.out()).as(a.describe()).contains("HTTP 200").contains("Downloading context")
                .contains("Successfully tagged " + api + ":latest");
        for (String img : List.of(cli, berth, api)) {
            assertThat(runs(img)).as(img).isEqualTo("hello from a tarball\n");
        }
        assertThat(config(berth)).isEqualTo(config(cli));
        assertThat(config(api)).isEqualTo(config(cli));
    }

    @Test
    void dockerfileUrlAndMissingRemote() {
        String url = base + "/Dockerfile";
        String cli = Engine.name("rdf-cli");
        String api = Engine.name("rdf-api");
        Cmd.Result c = dockerBuild(cli, url);
        assertThat(c.exit()).as(c.describe()).isZero();
        Cmd.Result a = apiBuild(api, url);
        assertThat(a.out()).as(a.describe()).contains("HTTP 200").contains("Successfully tagged " + api + ":latest");
        assertThat(runs(cli)).isEqualTo("only-a-dockerfile\n");
        assertThat(runs(api)).isEqualTo("only-a-dockerfile\n");
        // dockerd: the remote's 404 is the build's 404, with its wording
        Cmd.Result missing = apiBuild(Engine.name("rdf-404"), base + "/nothere.tar");
        assertThat(missing.out()).as(missing.describe()).contains("HTTP 404")
                .contains("error downloading remote context " + base + "/nothere.tar: failed to GET " + base
                        + "/nothere.tar with status 404 Not Found: 404 page not found");
    }

    private static byte[] tar(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            for (var f : files.entrySet()) {
                byte[] b = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry en = new TarArchiveEntry(f.getKey());
                en.setSize(b.length);
                en.setMode(0644);
                t.putArchiveEntry(en);
                t.write(b);
                t.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bytes)) {
            g.write(b);
        }
        return bytes.toByteArray();
    }
}
