package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.backend.BuildBackend;
import dev.berth.api.backend.CommitBackend;
import dev.berth.api.model.ChangeItem;
import dev.berth.api.model.ContainerConfig;
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

/** /build, /commit and /containers/{name}/changes through the extra-routes hook, over a real socket. */
class BuildRouterTest {
    @TempDir
    Path dir;

    private Path socket;
    private ApiServer server;
    private final AtomicReference<String> commitArgs = new AtomicReference<>();
    private final AtomicReference<Map<String, List<String>>> buildQuery = new AtomicReference<>();

    @BeforeEach
    void start() {
        socket = dir.resolve("berth.sock");
        CommitBackend commits = new CommitBackend() {
            @Override
            public String commit(String container, String repo, String tag, String comment, String author, boolean pause,
                                 List<String> changes, ContainerConfig config) {
                commitArgs.set(container + " " + repo + " " + tag + " " + comment + " " + author + " " + pause + " "
                        + changes + " " + (config == null ? null : config.cmd()));
                return "sha256:abc";
            }

            @Override
            public List<ChangeItem> changes(String container) {
                return List.of(new ChangeItem("/etc", 0), new ChangeItem("/x", 1));
            }
        };
        BuildBackend builds = (context, query, registryConfig, out) -> {
            buildQuery.set(query);
            try {
                out.send(Map.of("stream", "Step 1/1 : FROM busybox\n"));
                out.send(Map.of("aux", Map.of("ID", "sha256:abc")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        server = new ApiServer(new FakeBackends().backends(), List.of(new Listener.Unix(socket)),
                ApiServer.DEFAULT_ENGINE_VERSION, r -> BuildRouter.register(r, commits, builds));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void commitReturns201WithId() throws IOException {
        var r = RawHttpClient.exchange(socket, "POST",
                "/v1.50/commit?container=c1&repo=img&tag=v1&comment=m&author=me&pause=0&changes=ENV%20A%3D1", "{\"Cmd\":[\"sh\"]}");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.bodyText()).contains("\"Id\":\"sha256:abc\"");
        assertThat(commitArgs.get()).isEqualTo("c1 img v1 m me false [ENV A=1] [sh]");
    }

    @Test
    void changesAreListed() throws IOException {
        var r = RawHttpClient.exchange(socket, "GET", "/v1.50/containers/c1/changes", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("[{\"Path\":\"/etc\",\"Kind\":0},{\"Path\":\"/x\",\"Kind\":1}]\n");
    }

    @Test
    void buildStreamsMessagesAndRefusesBuildKit() throws IOException {
        var r = RawHttpClient.exchange(socket, "POST", "/v1.50/build?t=a&t=b&version=1", "");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("{\"stream\":\"Step 1/1 : FROM busybox\\n\"}\n{\"aux\":{\"ID\":\"sha256:abc\"}}\n");
        assertThat(buildQuery.get().get("t")).containsExactly("a", "b");
        var v2 = RawHttpClient.exchange(socket, "POST", "/v1.50/build?version=2", "");
        assertThat(v2.status()).isEqualTo(400);
        assertThat(v2.bodyText()).contains("buildkit not supported by daemon");
    }
}
