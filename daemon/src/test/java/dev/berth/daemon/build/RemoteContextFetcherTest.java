package dev.berth.daemon.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.sys.proc.ProcessLauncher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RemoteContextFetcher} against a loopback HTTP server: tar, gzip tar, a plain Dockerfile,
 * 404, refused content types, the size limit, a stalled server; and git over the dumb HTTP
 * protocol (a branch, a tag, a subdirectory, escapes, a missing ref). Temp files never stay.
 */
class RemoteContextFetcherTest {
    @TempDir
    Path tmp;

    private HttpServer server;
    private String base;
    private Path scratch;
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final List<Map<String, Object>> progress = new ArrayList<>();

    /** One canned answer. */
    record Route(int status, String contentType, byte[] body, long stallMillis) {}

    @BeforeEach
    void start() throws IOException {
        scratch = Files.createDirectories(tmp.resolve("scratch"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serve(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (path.startsWith("/smart/")) {
            smartGit(ex, path.substring("/smart".length()));
            return;
        }
        Route r = routes.get(path);
        if (r == null) {
            // the dumb git protocol is plain static files (the query of info/refs is ignored)
            Path root = tmp.resolve("served");
            Path f = root.resolve(path.substring(1)).normalize();
            if (f.startsWith(root) && Files.isRegularFile(f)) {
                r = new Route(200, "application/octet-stream", Files.readAllBytes(f), 0);
            }
        }
        if (r == null) {
            r = new Route(404, "text/plain", "404 page not found\n".getBytes(StandardCharsets.UTF_8), 0);
        }
        if (r.contentType() != null) {
            ex.getResponseHeaders().set("Content-Type", r.contentType());
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(r.status(), head ? -1 : r.body().length == 0 ? -1 : r.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            if (!head && r.body().length > 0) {
                int half = r.body().length / 2;
                out.write(r.body(), 0, half);
                out.flush();
                if (r.stallMillis() > 0) {
                    sleep(r.stallMillis());
                }
                out.write(r.body(), half, r.body().length - half);
            }
        } catch (IOException ignored) {
            // the client gave up (timeout tests)
        }
    }

    /** The smart HTTP protocol: git http-backend as a CGI program over the served directory. */
    private void smartGit(HttpExchange ex, String pathInfo) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
        Map<String, String> env = pb.environment();
        env.put("GIT_PROJECT_ROOT", tmp.resolve("served").toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("PATH_INFO", pathInfo);
        env.put("QUERY_STRING", ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery());
        env.put("REQUEST_METHOD", ex.getRequestMethod());
        env.put("REMOTE_ADDR", "127.0.0.1");
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        env.put("CONTENT_TYPE", ct == null ? "" : ct);
        String enc = ex.getRequestHeaders().getFirst("Content-Encoding");
        if (enc != null) {
            env.put("HTTP_CONTENT_ENCODING", enc);
        }
        String proto = ex.getRequestHeaders().getFirst("Git-Protocol");
        if (proto != null) {
            env.put("GIT_PROTOCOL", proto);
        }
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            ex.getRequestBody().transferTo(in);
        }
        byte[] out = p.getInputStream().readAllBytes();
        int split = indexOf(out, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        int skip = 4;
        if (split < 0) {
            split = indexOf(out, "\n\n".getBytes(StandardCharsets.US_ASCII));
            skip = 2;
        }
        int status = 200;
        for (String line : new String(out, 0, Math.max(split, 0), StandardCharsets.ISO_8859_1).split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Status")) {
                status = Integer.parseInt(value.split(" ")[0]);
            } else {
                ex.getResponseHeaders().add(name, value);
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(out, split + skip, out.length);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        try (OutputStream o = ex.getResponseBody()) {
            if (!head) {
                o.write(body);
            }
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Every argv the fetcher starts, to see which git commands ran. */
    private final List<List<String>> started = java.util.Collections.synchronizedList(new ArrayList<>());

    private final ProcessLauncher recording = new ProcessLauncher() {
        private final ProcessLauncher real = ProcessLauncher.system();

        @Override
        public dev.berth.sys.proc.CommandResult run(List<String> argv, Map<String, String> extraEnv, Path workDir,
                Duration timeout, int maxOutput) throws IOException {
            started.add(argv);
            return real.run(argv, extraEnv, workDir, timeout, maxOutput);
        }

        @Override
        public Process start(List<String> argv, Map<String, String> extraEnv, Path workDir, Stdio stdio)
                throws IOException {
            started.add(argv);
            return real.start(argv, extraEnv, workDir, stdio);
        }
    };

    private RemoteContextFetcher fetcher(long maxBytes, Duration timeout) {
        return new RemoteContextFetcher(scratch, recording, "git",
                new RemoteContextFetcher.Limits(maxBytes, Duration.ofSeconds(5), timeout, timeout));
    }

    private RemoteContextFetcher fetcher() {
        return fetcher(1 << 20, Duration.ofSeconds(60));
    }

    private RemoteContext.Fetched fetch(String remote, String dockerfile) throws IOException {
        return fetcher().fetch(remote, dockerfile, progress::add);
    }

    /** name → content ("dir/" for directories, "-> target" for symlinks) of a (possibly compressed) tar. */
    private static Map<String, String> entries(InputStream in) throws Exception {
        InputStream buffered = new java.io.BufferedInputStream(in);
        InputStream raw;
        try {
            raw = new CompressorStreamFactory().createCompressorInputStream(buffered);
        } catch (org.apache.commons.compress.compressors.CompressorException plain) {
            raw = buffered;
        }
        Map<String, String> out = new LinkedHashMap<>();
        try (TarArchiveInputStream t = new TarArchiveInputStream(raw)) {
            TarArchiveEntry e;
            while ((e = t.getNextEntry()) != null) {
                out.put(e.getName(), e.isDirectory() ? "dir" : e.isSymbolicLink() ? "-> " + e.getLinkName()
                        : new String(t.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static byte[] tar(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            for (var f : files.entrySet()) {
                byte[] b = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(b.length);
                t.putArchiveEntry(e);
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

    private void assertScratchEmpty() throws IOException {
        try (Stream<Path> s = Files.list(scratch)) {
            assertThat(s.toList()).as("temporary files left in the scratch directory").isEmpty();
        }
    }

    @Test
    void tarAndGzipTarBodiesAreTheContext() throws Exception {
        byte[] ctx = tar(Map.of("Dockerfile", "FROM scratch\nCOPY a /\n", "a", "A"));
        routes.put("/ctx.tar", new Route(200, "application/x-tar", ctx, 0));
        routes.put("/ctx.tar.gz", new Route(200, null, gzip(ctx), 0)); // no Content-Type: sniffed as gzip
        for (String p : List.of("/ctx.tar", "/ctx.tar.gz")) {
            try (RemoteContext.Fetched f = fetch(base + p, "Dockerfile")) {
                assertThat(f.dockerfileOnly()).isFalse();
                assertThat(f.dockerfile()).isEqualTo("Dockerfile");
                assertThat(entries(f.tar())).containsEntry("a", "A").containsKey("Dockerfile");
            }
        }
        assertScratchEmpty();
        // dockerd's progress message for the download
        assertThat(progress.getLast()).containsEntry("status", "Downloading context")
                .containsEntry("id", base + "/ctx.tar.gz").containsKey("progressDetail");
    }

    @Test
    void plainTextBodyIsTheDockerfile() throws Exception {
        routes.put("/Dockerfile", new Route(200, "application/octet-stream", "FROM busybox\nRUN true\n".getBytes(), 0));
        try (RemoteContext.Fetched f = fetch(base + "/Dockerfile", "Dockerfile.dev")) {
            assertThat(f.dockerfileOnly()).isTrue();
            assertThat(f.dockerfile()).isEqualTo("Dockerfile.dev");
            assertThat(entries(f.tar())).containsExactly(Map.entry("Dockerfile.dev", "FROM busybox\nRUN true\n"));
        }
        assertScratchEmpty();
    }

    @Test
    void httpErrorsHaveDockerdsWordingAndKind() throws Exception {
        assertThatThrownBy(() -> fetch(base + "/missing.tar", "Dockerfile"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessage("error downloading remote context " + base + "/missing.tar: failed to GET " + base
                        + "/missing.tar with status 404 Not Found: 404 page not found");
        routes.put("/secret", new Route(403, "text/plain", "no".getBytes(), 0));
        assertThatThrownBy(() -> fetch(base + "/secret", "Dockerfile"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN));
        routes.put("/page", new Route(200, "text/html", "<html></html>".getBytes(), 0));
        assertThatThrownBy(() -> fetch(base + "/page", "Dockerfile"))
                .hasMessage("error detecting content type for remote " + base + "/page: unsupported Content-Type \"text/html\"");
        routes.put("/empty", new Route(200, "application/x-tar", new byte[0], 0));
        assertThatThrownBy(() -> fetch(base + "/empty", "Dockerfile"))
                .hasMessage("error detecting content type for remote " + base + "/empty: empty response");
        assertThatThrownBy(() -> fetch("http://127.0.0.1:1/x.tar", "Dockerfile"))
                .hasMessage("error downloading remote context http://127.0.0.1:1/x.tar: Get \"http://127.0.0.1:1/x.tar\": "
                        + "dial tcp 127.0.0.1:1: connect: connection refused");
        assertThatThrownBy(() -> fetch("client-session", "Dockerfile"))
                .hasMessageContaining("experimental session with v1 builder is no longer supported");
        assertThatThrownBy(() -> fetch("ftp://x/ctx.tar", "Dockerfile"))
                .hasMessage("remoteURL (ftp://x/ctx.tar) could not be recognized as URL");
        assertThat(progress).isEmpty(); // all decided before any output
        assertScratchEmpty();
    }

    @Test
    void downloadsAreBoundedInSizeAndTime() throws Exception {
        routes.put("/big.tar", new Route(200, "application/x-tar", new byte[300_000], 0));
        assertThatThrownBy(() -> fetcher(100_000, Duration.ofSeconds(30)).fetch(base + "/big.tar", "Dockerfile", m -> {}))
                .hasMessageContaining("larger than the limit of 100000 bytes");
        routes.put("/slow.tar", new Route(200, "application/x-tar", new byte[4096], 20_000));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> fetcher(1 << 20, Duration.ofSeconds(1)).fetch(base + "/slow.tar", "Dockerfile", m -> {}))
                .hasMessageContaining("timed out");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(10);
        assertScratchEmpty();
    }

    // --- git over loopback HTTP (dumb protocol: static files after git update-server-info)

    private static String git(Path dir, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com",
                "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("git %s: %s", List.of(args), out).isZero();
        return out;
    }

    private static boolean hasGit() {
        try {
            return new ProcessBuilder("git", "--version").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** A repository with main (README) and branch "feature" (sub/Dockerfile, links), tag v1; served at /repo.git. */
    private void serveRepo() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        git(work, "init", "-q");
        Files.writeString(work.resolve("README"), "main branch\n");
        git(work, "add", ".");
        git(work, "commit", "-q", "-m", "one");
        git(work, "checkout", "-q", "-b", "feature");
        Files.createDirectories(work.resolve("sub"));
        Files.writeString(work.resolve("sub/Dockerfile"), "FROM scratch\nCOPY hello.txt /\n");
        Files.writeString(work.resolve("sub/hello.txt"), "hello from git\n");
        Files.writeString(work.resolve("sub/.dockerignore"), ".git\n");
        Files.createSymbolicLink(work.resolve("sub/passwd"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(work.resolve("etc"), Path.of("/etc"));
        Files.createSymbolicLink(work.resolve("up"), Path.of("../../.."));
        Files.createSymbolicLink(work.resolve("escape"), Path.of("/var/lib"));
        Files.writeString(work.resolve("notadir"), "x");
        git(work, "add", ".");
        git(work, "commit", "-q", "-m", "two");
        git(work, "tag", "v1");
        Path served = Files.createDirectories(tmp.resolve("served"));
        git(served, "clone", "-q", "--bare", work.toString(), "repo.git");
        git(served.resolve("repo.git"), "update-server-info");
    }

    @Test
    void gitBranchAndSubdirectoryAreTheContext() throws Exception {
        assumeTrue(hasGit(), "git is not installed");
        serveRepo();
        try (RemoteContext.Fetched f = fetch(base + "/repo.git#feature:sub", "Dockerfile")) {
            Map<String, String> e = entries(f.tar());
            assertThat(e).containsEntry("Dockerfile", "FROM scratch\nCOPY hello.txt /\n")
                    .containsEntry("hello.txt", "hello from git\n")
                    .containsEntry("passwd", "-> /etc/passwd"); // a link stays a link, never the host's file
            assertThat(e.keySet()).noneMatch(k -> k.startsWith("README") || k.startsWith(".git/"));
        }
        // the whole checkout, .git included (as dockerd tars it), at a tag
        try (RemoteContext.Fetched f = fetch(base + "/repo.git#v1", "sub/Dockerfile")) {
            Map<String, String> e = entries(f.tar());
            assertThat(e).containsKeys("README", "sub/Dockerfile", "sub/hello.txt", ".git/HEAD");
            assertThat(e).containsEntry("etc", "-> /etc");
        }
        assertScratchEmpty();
        assertThat(progress).isEmpty();
    }

    @Test
    void smartHttpServersAreFetchedShallow() throws Exception {
        assumeTrue(hasGit(), "git is not installed");
        serveRepo();
        try (RemoteContext.Fetched f = fetch(base + "/smart/repo.git#feature:sub", "Dockerfile")) {
            assertThat(entries(f.tar())).containsEntry("hello.txt", "hello from git\n");
        }
        assertThat(started).anySatisfy(argv -> assertThat(argv).containsSubsequence(
                "git", "-c", "protocol.file.allow=never", "fetch", "--depth", "1", "origin", "--", "feature"));
        started.clear();
        // the dumb server cannot: a full fetch
        try (RemoteContext.Fetched f = fetch(base + "/repo.git#feature:sub", "Dockerfile")) {
            assertThat(entries(f.tar())).containsKey("hello.txt");
        }
        assertThat(started).anySatisfy(argv -> assertThat(argv).containsSubsequence("fetch", "origin", "--", "feature")
                .doesNotContain("--depth"));
        assertScratchEmpty();
    }

    @Test
    void gitSubdirectoryCannotLeaveTheRepository() throws Exception {
        assumeTrue(hasGit(), "git is not installed");
        serveRepo();
        assertThatThrownBy(() -> fetch(base + "/repo.git#feature:../..", "Dockerfile"))
                .hasMessage("error setting git context, \"../..\" not within git root");
        // links are read inside the checkout: /var/lib there does not exist, ../../.. is the checkout itself
        assertThatThrownBy(() -> fetch(base + "/repo.git#feature:escape", "Dockerfile"))
                .hasMessageStartingWith("stat " + scratch).hasMessageEndingWith("/repo/var/lib: no such file or directory");
        assertThatThrownBy(() -> fetch(base + "/repo.git#feature:etc", "Dockerfile")) // etc -> /etc -> etc -> …
                .hasMessage("error setting git context, \"etc\" not within git root");
        try (RemoteContext.Fetched f = fetch(base + "/repo.git#feature:up", "Dockerfile")) {
            assertThat(entries(f.tar())).containsKeys("README", "sub/Dockerfile");
        }
        assertThatThrownBy(() -> fetch(base + "/repo.git#feature:notadir", "Dockerfile"))
                .hasMessageStartingWith("error setting git context, not a directory: ");
        assertScratchEmpty();
    }

    @Test
    void submodulesCannotReadTheDaemonsFiles() throws Exception {
        assumeTrue(hasGit(), "git is not installed");
        serveRepo();
        // a repository whose submodule points at a local path on the daemon's host
        Path work = Files.createDirectories(tmp.resolve("work2"));
        git(work, "init", "-q");
        Files.writeString(work.resolve("Dockerfile"), "FROM scratch\n");
        git(work, "-c", "protocol.file.allow=always", "submodule", "add", "-q", tmp.resolve("work").toString(), "lib");
        git(work, "add", ".");
        git(work, "commit", "-q", "-m", "with a submodule");
        Path served = tmp.resolve("served");
        git(served, "clone", "-q", "--bare", work.toString(), "withsub.git");
        git(served.resolve("withsub.git"), "update-server-info");
        assertThatThrownBy(() -> fetch(base + "/withsub.git#main", "Dockerfile"))
                .hasMessageStartingWith("error initializing submodules: ").hasMessageContaining("transport 'file' not allowed");
        assertScratchEmpty();
    }

    @Test
    void aStalledGitServerIsCutOffAtTheDeadline() throws Exception {
        assumeTrue(hasGit(), "git is not installed");
        byte[] refs = "0000000000000000000000000000000000000000\trefs/heads/main\n".repeat(100).getBytes();
        routes.put("/stall.git/info/refs", new Route(200, "text/plain", refs, 30_000));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> fetcher(1 << 20, Duration.ofSeconds(2)).fetch(base + "/stall.git#main", "Dockerfile", m -> {}))
                .hasMessageStartingWith("error fetching: ").hasMessageEndingWith(": signal: killed");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(15);
        assertScratchEmpty();
    }

    @Test
    void gitErrorsHaveDockerdsWording() throws Exception {
        assumeTrue(hasGit(), "git is not installed");
        serveRepo();
        assertThatThrownBy(() -> fetch(base + "/repo.git#nosuchref", "Dockerfile"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL))
                .hasMessageStartingWith("error fetching: ").hasMessageEndingWith(": exit status 128");
        // the default ref is master, as in dockerd's classic builder; this repository has none
        assertThatThrownBy(() -> fetch(base + "/repo.git", "Dockerfile")).hasMessageStartingWith("error fetching: ");
        assertThatThrownBy(() -> fetch(base + "/nothere.git#main", "Dockerfile")).hasMessageStartingWith("error fetching: ");
        assertScratchEmpty();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
