package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.backend.BuildBackend;
import dev.berth.common.BerthException;
import dev.berth.http.Listener;
import dev.berth.http.testing.RawHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /build?remote=…}: the router hands the remote to the backend, whose errors keep their status. */
class BuildRouterRemoteTest {
    @TempDir
    Path dir;

    private Path socket;
    private ApiServer server;
    private final AtomicReference<Map<String, List<String>>> query = new AtomicReference<>();

    @BeforeEach
    void start() {
        socket = dir.resolve("berth.sock");
        BuildBackend builds = (context, q, registryConfig, out) -> {
            query.set(q);
            String remote = q.get("remote").getFirst();
            if (remote.endsWith("/missing.tar")) {
                throw BerthException.notFound("error downloading remote context %s: failed to GET %s with status 404 Not Found: nope",
                        remote, remote);
            }
            try {
                out.send(Map.of("aux", Map.of("ID", "sha256:abc")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        server = new ApiServer(new FakeBackends().backends(), List.of(new Listener.Unix(socket)),
                ApiServer.DEFAULT_ENGINE_VERSION, r -> BuildRouter.register(r, null, builds));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void remoteGoesToTheBackend() throws IOException {
        var r = RawHttpClient.exchange(socket, "POST",
                "/v1.50/build?t=r1&remote=http%3A%2F%2F127.0.0.1%3A8000%2Frepo.git%23main%3Asub", "");
        assertThat(r.status()).isEqualTo(200);
        assertThat(query.get().get("remote")).containsExactly("http://127.0.0.1:8000/repo.git#main:sub");
        var missing = RawHttpClient.exchange(socket, "POST", "/v1.50/build?remote=http://127.0.0.1:1/missing.tar", "");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.bodyText()).contains("error downloading remote context http://127.0.0.1:1/missing.tar");
    }
}
