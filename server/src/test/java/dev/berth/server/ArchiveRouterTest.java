package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.backend.ArchiveBackend;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.http.Listener;
import dev.berth.http.testing.RawHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /containers/{name}/archive (docker cp) through the extra-routes hook, over a real socket. */
class ArchiveRouterTest {
    @TempDir
    Path dir;

    private Path socket;
    private ApiServer server;
    private final AtomicReference<String> put = new AtomicReference<>();
    private static final ArchiveBackend.PathStat STAT = new ArchiveBackend.PathStat("hostname", 4, 0644, "2026-01-01T00:00:00Z", "");

    @BeforeEach
    void start() {
        socket = dir.resolve("berth.sock");
        ArchiveBackend backend = new ArchiveBackend() {
            @Override
            public PathStat stat(String container, String path) {
                if (path.equals("/nope")) {
                    throw new BerthException(ErrorKind.NOT_FOUND, "Could not find the file /nope in container " + container);
                }
                return STAT;
            }

            @Override
            public void archive(String container, String path, Function<PathStat, OutputStream> start) {
                try (OutputStream out = start.apply(stat(container, path))) {
                    out.write("TARBYTES".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void extract(String container, String path, InputStream content, boolean noOverwriteDirNonDir, boolean copyUIDGID) {
                try {
                    put.set(container + " " + path + " " + noOverwriteDirNonDir + " " + copyUIDGID + " "
                            + new String(content.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        server = new ApiServer(new FakeBackends().backends(), List.of(new Listener.Unix(socket)),
                ApiServer.DEFAULT_ENGINE_VERSION, r -> new ArchiveRouter(backend).register(r));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> statOf(RawHttpClient.Response r) {
        String h = r.header(ArchiveRouter.STAT_HEADER.toLowerCase());
        return (Map<String, Object>) dev.berth.common.Json.mapper().readValue(Base64.getDecoder().decode(h), Map.class);
    }

    @Test
    void headSendsTheStatHeader() throws IOException {
        var r = RawHttpClient.exchange(socket, "HEAD", "/v1.50/containers/c1/archive?path=/etc/hostname", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(statOf(r)).containsEntry("name", "hostname").containsEntry("size", 4).containsEntry("mode", 0644)
                .containsEntry("mtime", "2026-01-01T00:00:00Z").containsEntry("linkTarget", "");
    }

    @Test
    void getStreamsTheTarWithTheHeader() throws IOException {
        var r = RawHttpClient.exchange(socket, "GET", "/v1.50/containers/c1/archive?path=/etc/hostname", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).isEqualTo("application/x-tar");
        assertThat(r.bodyText()).isEqualTo("TARBYTES");
        assertThat(statOf(r)).containsEntry("name", "hostname");
    }

    @Test
    void missingFileIs404() throws IOException {
        var r = RawHttpClient.exchange(socket, "GET", "/v1.50/containers/c1/archive?path=/nope", null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.bodyText()).contains("Could not find the file /nope in container c1");
        assertThat(RawHttpClient.exchange(socket, "HEAD", "/v1.50/containers/c1/archive?path=/nope", null).status()).isEqualTo(404);
    }

    @Test
    void putPassesTheBodyAndFlags() throws IOException {
        var r = RawHttpClient.exchange(socket, "PUT", "/v1.50/containers/c1/archive?path=/tmp&noOverwriteDirNonDir=true&copyUIDGID=1", "BODY");
        assertThat(r.status()).isEqualTo(200);
        assertThat(put.get()).isEqualTo("c1 /tmp true true BODY");
        assertThat(RawHttpClient.exchange(socket, "PUT", "/v1.50/containers/c1/archive", "x").status()).isEqualTo(400);
    }
}
