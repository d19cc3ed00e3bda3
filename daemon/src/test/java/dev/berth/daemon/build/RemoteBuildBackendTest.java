package dev.berth.daemon.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.berth.api.backend.MessageSink;
import dev.berth.builder.context.ContextEntry;
import dev.berth.builder.exec.BuildOutput;
import dev.berth.builder.exec.BuildWorker;
import dev.berth.builder.exec.Builder;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /build?remote=URL} through {@link BuildBackendImpl}: the downloaded context reaches
 * COPY, a remote Dockerfile builds with no context, a failed download is an error before any
 * output (an HTTP status), and nothing stays in the scratch directory.
 */
class RemoteBuildBackendTest {
    @TempDir
    Path tmp;

    private HttpServer server;
    private String base;
    private Path scratch;
    private final List<BuildWorker.CopyRequest> copies = new ArrayList<>();
    private final List<Object> messages = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        scratch = Files.createDirectories(tmp.resolve("scratch"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ctx.tar", ex -> reply(ex, 200, "application/x-tar", tar(Map.of(
                "Dockerfile", "FROM scratch\nCOPY hello.txt /\n", "hello.txt", "hi\n", "../../escape", "x"))));
        server.createContext("/Dockerfile", ex -> reply(ex, 200, "text/plain", "FROM scratch\nCOPY hello.txt /\n".getBytes()));
        server.createContext("/Dockerfile.label", ex -> reply(ex, 200, "text/plain", "FROM scratch\nLABEL a=b\n".getBytes()));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] tar(Map<String, String> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            for (var f : files.entrySet()) {
                byte[] b = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey(), true); // keep "../" as sent
                e.setSize(b.length);
                t.putArchiveEntry(e);
                t.write(b);
                t.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private BuildBackendImpl backend() {
        RemoteContextFetcher remotes = new RemoteContextFetcher(scratch, dev.berth.sys.proc.ProcessLauncher.system(), "git",
                RemoteContextFetcher.Limits.defaults());
        return new BuildBackendImpl(auths -> new Builder(new Worker()), scratch, new BuildCache(tmp.resolve("cache.json")),
                null, remotes);
    }

    private void build(String remote, String... more) {
        Map<String, List<String>> q = new java.util.LinkedHashMap<>();
        q.put("remote", List.of(remote));
        for (int i = 0; i + 1 < more.length; i += 2) {
            q.put(more[i], List.of(more[i + 1]));
        }
        backend().build(InputStream.nullInputStream(), q, null, new MessageSink() {
            @Override
            public void send(Object value) {
                messages.add(value);
            }

            @Override
            public boolean isClosed() {
                return false;
            }
        });
    }

    private void assertScratchEmpty() throws IOException {
        try (Stream<Path> s = Files.list(scratch)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    private String errors() {
        return messages.stream().filter(m -> m instanceof Map<?, ?> mm && mm.containsKey("error")).map(Object::toString)
                .reduce("", String::concat);
    }

    @Test
    void downloadedTarIsTheContext() throws IOException {
        build(base + "/ctx.tar", "t", "r1");
        assertThat(errors()).isEmpty();
        assertThat(copies).hasSize(1);
        var src = (BuildWorker.CopySource.Context) copies.getFirst().sources().getFirst();
        assertThat(src.files()).extracting(ContextEntry::path).containsExactly("hello.txt");
        // the guarded tar reader kept "../../escape" inside the context
        assertThat(src.context().stat("escape")).isPresent();
        assertThat(messages.getFirst().toString()).contains("Downloading context");
        assertScratchEmpty();
    }

    @Test
    void remoteDockerfileHasNoContext() throws IOException {
        build(base + "/Dockerfile.label", "t", "r2");
        assertThat(errors()).isEmpty();
        messages.clear();
        build(base + "/Dockerfile", "t", "r3");
        // COPY finds nothing: a remote Dockerfile comes with no context, as in dockerd
        assertThat(errors()).contains("hello.txt");
        assertThat(copies).isEmpty();
        assertScratchEmpty();
    }

    @Test
    void failedDownloadIsAnErrorBeforeAnyOutput() throws IOException {
        assertThatThrownBy(() -> build(base + "/nothere.tar"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessageStartingWith("error downloading remote context " + base + "/nothere.tar: failed to GET ");
        assertThat(messages).isEmpty();
        // quiet builds print no download progress (dockerd buffers it and prints only the image id)
        build(base + "/ctx.tar", "q", "1");
        assertThat(messages.toString()).doesNotContain("Downloading context").contains("stream=sha256:");
        assertScratchEmpty();
    }

    /** Just enough of a worker for FROM scratch, COPY and LABEL. */
    private final class Worker implements BuildWorker {
        private int n;

        private String id() {
            return "sha256:%064x".formatted(++n);
        }

        @Override
        public BaseImage resolveImage(String reference, String platform, boolean pull, BuildOutput out) {
            throw BerthException.notFound("no image %s", reference);
        }

        @Override
        public Optional<String> findCached(String cacheKey) {
            return Optional.empty();
        }

        @Override
        public RunResult run(RunRequest request, Consumer<String> onCreated, BuildOutput out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String commitContainer(String containerId, CommitRequest commit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void removeContainer(String containerId) {}

        @Override
        public ConfigCommit commitConfig(CommitRequest commit, String createDirectory) {
            return new ConfigCommit(id(), null);
        }

        @Override
        public String copy(CopyRequest request) {
            copies.add(request);
            return id();
        }

        @Override
        public Download download(String url, BuildOutput out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String tag(String imageId, String reference) {
            return reference;
        }
    }
}
