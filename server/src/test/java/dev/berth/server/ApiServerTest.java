package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.ContainerWaitResponse;
import dev.berth.http.Listener;
import dev.berth.http.testing.RawHttpClient;
import dev.berth.http.testing.RawHttpClient.Response;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ApiServerTest {
    private static final Map<String, String> UPGRADE = Map.of("Connection", "Upgrade", "Upgrade", "tcp");

    @TempDir
    Path dir;

    private Path socket;
    private FakeBackends fakes;
    private ApiServer server;

    @BeforeEach
    void start() {
        socket = dir.resolve("berth.sock");
        fakes = new FakeBackends();
        server = new ApiServer(fakes.backends(), List.of(new Listener.Unix(socket)));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private Response call(String method, String path, String body) throws IOException {
        return RawHttpClient.exchange(socket, method, path, body);
    }

    /** One multiplexed frame: stream byte and payload. */
    record Frame(int stream, String payload) {}

    static List<Frame> frames(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        List<Frame> out = new ArrayList<>();
        byte[] header = new byte[8];
        while (d.readNBytes(header, 0, 8) == 8) {
            assertThat(header[1] | header[2] | header[3]).isZero();
            int len = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            out.add(new Frame(header[0], new String(d.readNBytes(len), StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Test
    void pingHasTheHeadersTheCliNeeds() throws Exception {
        for (String method : List.of("HEAD", "GET")) {
            Response r = call(method, "/_ping", null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Api-Version")).isEqualTo("1.50");
            assertThat(r.header("Builder-Version")).isEqualTo("1");
            assertThat(r.header("Docker-Experimental")).isEqualTo("false");
            assertThat(r.header("Ostype")).isEqualTo("linux");
            assertThat(r.header("Swarm")).isEqualTo("inactive");
            assertThat(r.header("Cache-Control")).isEqualTo("no-cache, no-store, must-revalidate");
            assertThat(r.header("Pragma")).isEqualTo("no-cache");
            assertThat(r.header("Server")).startsWith("Docker/");
            assertThat(r.bodyText()).isEqualTo(method.equals("GET") ? "OK" : "");
        }
    }

    @Test
    void versionAndInfo() throws Exception {
        Response v = call("GET", "/v1.50/version", null);
        assertThat(v.status()).isEqualTo(200);
        assertThat(v.bodyText()).contains("\"ApiVersion\":\"1.50\"");
        assertThat(call("GET", "/v1.50/info", null).status()).isEqualTo(200);
    }

    @Test
    void createParsesConfigHostConfigAndNetworking() throws Exception {
        Response r = call("POST", "/v1.50/containers/create?name=web&platform=linux/amd64",
                "{\"Image\":\"busybox\",\"Tty\":true,\"Cmd\":[\"sh\"],\"HostConfig\":{\"AutoRemove\":true,\"Memory\":1024,\"ConsoleSize\":[24,80]},"
                        + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"bridge\":{\"Aliases\":[\"a\"]}}}}");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.bodyText()).isEqualTo("{\"Id\":\"" + FakeBackends.ID + "\",\"Warnings\":[]}\n");
        var req = fakes.lastCreate;
        assertThat(req.name()).isEqualTo("web");
        assertThat(req.platform()).isEqualTo("linux/amd64");
        assertThat(req.config().tty()).isTrue();
        assertThat(req.config().cmd()).containsExactly("sh");
        assertThat(req.hostConfig().autoRemove()).isTrue();
        assertThat(req.hostConfig().memory()).isEqualTo(1024L);
        assertThat(req.networkingConfig().endpointsConfig().get("bridge").aliases()).containsExactly("a");
    }

    @Test
    void createErrors() throws Exception {
        Response missing = call("POST", "/v1.50/containers/create", "{\"Image\":\"missing\"}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.bodyText()).isEqualTo("{\"message\":\"No such image: missing\"}\n");
        assertThat(call("POST", "/v1.50/containers/create", "").status()).isEqualTo(400);
        Response bad = call("POST", "/v1.50/containers/create", "{\"Image\":");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.bodyText()).contains("invalid JSON");
    }

    @Test
    void listInspectAndLifecycle() throws Exception {
        Response list = call("GET", "/v1.50/containers/json?all=1&limit=5&size=1&filters=%7B%22status%22%3A%7B%22running%22%3Atrue%7D%7D", null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.bodyText()).contains("\"Names\":[\"/plain\"]");
        assertThat(fakes.calls).contains("list all=true limit=5 size=true filters={status=[running]}");

        assertThat(call("GET", "/v1.50/containers/plain/json", null).bodyText()).contains("\"Name\":\"/plain\"");
        Response notFound = call("GET", "/v1.50/containers/nope/json", null);
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.bodyText()).contains("No such container: nope");

        assertThat(call("POST", "/v1.50/containers/tty/start", null).status()).isEqualTo(204);
        assertThat(call("POST", "/v1.50/containers/plain/start", null).status()).isEqualTo(304);
        assertThat(call("POST", "/v1.50/containers/plain/stop?t=3&signal=SIGINT", null).status()).isEqualTo(204);
        assertThat(call("POST", "/v1.50/containers/plain/kill?signal=HUP", null).status()).isEqualTo(204);
        assertThat(call("POST", "/v1.50/containers/plain/rename?name=taken", null).status()).isEqualTo(409);
        assertThat(call("POST", "/v1.50/containers/plain/resize?h=24&w=80", null).status()).isEqualTo(200);
        assertThat(call("POST", "/v1.50/containers/plain/update", "{\"Memory\":2048}").bodyText()).isEqualTo("{\"Warnings\":[]}\n");
        assertThat(call("DELETE", "/v1.50/containers/plain?force=1&v=1", null).status()).isEqualTo(204);
        assertThat(call("GET", "/v1.50/containers/plain/top?ps_args=aux", null).bodyText()).contains("sh aux");
        assertThat(call("POST", "/v1.50/containers/prune", null).bodyText())
                .isEqualTo("{\"ContainersDeleted\":[\"" + FakeBackends.ID + "\"],\"SpaceReclaimed\":42}\n");
        assertThat(fakes.calls).contains("start tty", "stop plain t=3 signal=SIGINT", "kill plain HUP",
                "resize plain 24x80", "update plain memory=2048", "remove plain force=true v=true");
    }

    @Test
    void waitSendsHeadersBeforeTheContainerExits() throws Exception {
        try (RawHttpClient c = RawHttpClient.connect(socket)) {
            c.send("POST", "/v1.50/containers/plain/wait?condition=next-exit", null, Map.of());
            Response head = c.readHead(); // would block forever if headers waited for the exit
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Type")).isEqualTo("application/json");
            CompletableFuture<ContainerWaitResponse> f = fakes.waits.get("plain");
            assertThat(f).isNotNull();
            f.complete(new ContainerWaitResponse(3, null));
            assertThat(new String(c.readChunk())).isEqualTo("{\"StatusCode\":3}\n");
            assertThat(c.readChunk()).isNull();
        }
        assertThat(call("POST", "/v1.50/containers/plain/wait?condition=bogus", null).status()).isEqualTo(400);
        assertThat(call("POST", "/v1.50/containers/nope/wait", null).status()).isEqualTo(404);
    }

    @Test
    void logsAreMultiplexedWithoutTtyAndRawWithTty() throws Exception {
        Response plain = call("GET", "/v1.50/containers/plain/logs?stdout=1&stderr=1&tail=10&since=1700000000.5", null);
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.header("Content-Type")).isEqualTo("application/vnd.docker.multiplexed-stream");
        assertThat(frames(new java.io.ByteArrayInputStream(plain.body())))
                .containsExactly(new Frame(1, "out\n"), new Frame(2, "err\n"));
        assertThat(fakes.calls).anyMatch(s -> s.contains("since=1.7000000005E9") && s.contains("tail=10"));

        Response tty = call("GET", "/v1.50/containers/tty/logs?stdout=1", null);
        assertThat(tty.header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
        assertThat(tty.bodyText()).isEqualTo("out\nerr\n");

        assertThat(call("GET", "/v1.50/containers/plain/logs", null).status()).isEqualTo(400);
        assertThat(call("GET", "/v1.50/containers/nope/logs?stdout=1", null).status()).isEqualTo(404);
    }

    @Test
    void attachHijacksWithMultiplexedFraming() throws Exception {
        try (RawHttpClient c = RawHttpClient.connect(socket)) {
            c.send("POST", "/v1.50/containers/plain/attach?stream=1&stdin=1&stdout=1&stderr=1", null, UPGRADE);
            Response head = c.readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Content-Type")).isEqualTo("application/vnd.docker.multiplexed-stream");
            assertThat(head.header("Upgrade")).isEqualTo("tcp");
            c.writeRaw("hi".getBytes());
            Thread.sleep(100);
            c.shutdownOutput();
            assertThat(frames(c.input())).containsExactly(new Frame(1, "echo:hi"), new Frame(2, "bye"));
        }
        assertThat(fakes.calls).anyMatch(s -> s.startsWith("attach AttachOptions[stream=true, logs=false, stdin=true"));
    }

    @Test
    void attachToTtyIsRawAndOldApiGetsRawMediaType() throws Exception {
        try (RawHttpClient c = RawHttpClient.connect(socket)) {
            c.send("POST", "/v1.50/containers/tty/attach?stream=1&stdin=1&stdout=1", null, UPGRADE);
            assertThat(c.readHead().header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
            c.writeRaw("x".getBytes());
            Thread.sleep(100);
            c.shutdownOutput();
            assertThat(new String(c.input().readAllBytes())).isEqualTo("echo:xbye");
        }
        try (RawHttpClient c = RawHttpClient.connect(socket)) {
            c.send("POST", "/v1.41/containers/plain/attach?stream=1&stdout=1", null, UPGRADE);
            assertThat(c.readHead().header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
            assertThat(frames(c.input())).containsExactly(new Frame(2, "bye")); // still framed: no TTY
        }
        assertThat(call("POST", "/v1.50/containers/nope/attach?stream=1", null).status()).isEqualTo(404);
    }

    @Test
    void execCreateStartDetachedAndHijacked() throws Exception {
        Response created = call("POST", "/v1.50/containers/plain/exec", "{\"Cmd\":[\"sh\"],\"AttachStdout\":true}");
        assertThat(created.status()).isEqualTo(201);
        String id = "f".repeat(64);
        assertThat(created.bodyText()).isEqualTo("{\"Id\":\"" + id + "\"}\n");
        assertThat(call("POST", "/v1.50/containers/plain/exec", "{\"Cmd\":[]}").status()).isEqualTo(400);

        assertThat(call("POST", "/v1.50/exec/" + id + "/start", "{\"Detach\":true,\"ConsoleSize\":[10,20]}").status()).isEqualTo(200);
        assertThat(fakes.calls).contains("exec start f tty=false size=10x20 detached=true");

        try (RawHttpClient c = RawHttpClient.connect(socket)) {
            c.send("POST", "/v1.50/exec/" + id + "/start", "{\"Detach\":false,\"Tty\":false}", UPGRADE);
            Response head = c.readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Content-Type")).isEqualTo("application/vnd.docker.multiplexed-stream");
            c.writeRaw("ls".getBytes());
            Thread.sleep(100);
            c.shutdownOutput();
            assertThat(frames(c.input())).containsExactly(new Frame(1, "echo:ls"), new Frame(2, "bye"));
        }
        String ttyId = "e".repeat(64);
        try (RawHttpClient c = RawHttpClient.connect(socket)) {
            c.send("POST", "/v1.50/exec/" + ttyId + "/start", "{\"Tty\":true}", UPGRADE);
            assertThat(c.readHead().header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
            c.shutdownOutput();
            assertThat(new String(c.input().readAllBytes())).isEqualTo("bye");
        }
        assertThat(call("POST", "/v1.50/exec/" + id + "/resize?h=5&w=6", null).status()).isEqualTo(200);
        assertThat(call("GET", "/v1.50/exec/" + id + "/json", null).bodyText()).contains("\"ExitCode\":0");
        assertThat(call("POST", "/v1.50/exec/nope/start", "{}").status()).isEqualTo(404);
    }

    @Test
    void imagesRouteNamesWithSlashes() throws Exception {
        assertThat(call("GET", "/v1.50/images/json?manifests=1", null).status()).isEqualTo(200);
        assertThat(fakes.calls).contains("images all=false manifests=true");
        Response inspect = call("GET", "/v1.50/images/localhost:5000/a/b:1/json", null);
        assertThat(inspect.status()).isEqualTo(200);
        assertThat(inspect.bodyText()).contains("localhost:5000/a/b:1");
        assertThat(call("GET", "/v1.50/images/nope/json", null).status()).isEqualTo(404);
        assertThat(call("POST", "/v1.50/images/busybox/tag?repo=localhost:5000/bb&tag=1", null).status()).isEqualTo(201);
        assertThat(fakes.calls).contains("tag busybox localhost:5000/bb:1");
        assertThat(call("DELETE", "/v1.50/images/localhost:5000/bb:1", null).bodyText()).contains("\"Untagged\":\"localhost:5000/bb:1\"");
        assertThat(call("GET", "/v1.50/images/busybox/history", null).bodyText()).contains("<missing>");
        assertThat(call("POST", "/v1.50/images/prune", null).bodyText()).contains("\"ImagesDeleted\":[{\"Deleted\":\"sha256:x\"}]");
        Response push = call("POST", "/v1.50/images/localhost:5000/a/b/push?tag=1", null);
        assertThat(push.bodyText()).contains("The push refers to repository [localhost:5000/a/b]");
    }

    @Test
    void pullStreamsProgressAndReportsErrors() throws Exception {
        Response ok = call("POST", "/v1.50/images/create?fromImage=docker.io/library/busybox&tag=latest", null);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("Content-Type")).isEqualTo("application/json");
        assertThat(ok.bodyText()).isEqualTo("{\"status\":\"Pulling from docker.io/library/busybox\",\"id\":\"latest\"}\n"
                + "{\"status\":\"Status: Downloaded newer image for docker.io/library/busybox:latest\"}\n");
        Response early = call("POST", "/v1.50/images/create?fromImage=docker.io/library/nosuch&tag=latest", null);
        assertThat(early.status()).isEqualTo(404);
        Response late = call("POST", "/v1.50/images/create?fromImage=docker.io/library/broken&tag=latest", null);
        assertThat(late.status()).isEqualTo(200);
        assertThat(late.bodyText()).endsWith("{\"errorDetail\":{\"message\":\"registry went away\"},\"error\":\"registry went away\"}\n");
    }

    @Test
    void importLoadAndSaveStreamBodies() throws Exception {
        Response imp = call("POST", "/v1.50/images/create?fromSrc=-&repo=imp&tag=1&changes=CMD%20sh&changes=ENV%20A%3D1&message=hi", "x".repeat(5000));
        assertThat(imp.status()).isEqualTo(200);
        assertThat(fakes.calls).contains("import 5000 imp:1 changes=[CMD sh, ENV A=1] message=hi");
        assertThat(call("POST", "/v1.50/images/load?quiet=1", "y".repeat(3000)).bodyText()).contains("3000 bytes");
        Response save = call("GET", "/v1.50/images/get?names=a&names=b/c", null);
        assertThat(save.header("Content-Type")).isEqualTo("application/x-tar");
        assertThat(save.bodyText()).isEqualTo("a,b/c");
        assertThat(call("GET", "/v1.50/images/busybox:1/get", null).bodyText()).isEqualTo("busybox:1");
        assertThat(call("GET", "/v1.50/images/get?names=missing", null).status()).isEqualTo(404);
        assertThat(call("GET", "/v1.50/containers/plain/export", null).body()).hasSize(1024);
    }

    @Test
    void statsAndEventsStreamJsonLines() throws Exception {
        Response one = call("GET", "/v1.50/containers/plain/stats?stream=false", null);
        assertThat(one.bodyText().lines()).hasSize(1);
        Response many = call("GET", "/v1.50/containers/plain/stats", null);
        assertThat(many.bodyText().lines()).hasSize(3);

        Response bounded = call("GET", "/v1.50/events?since=100&until=200&filters=%7B%22type%22%3A%5B%22container%22%5D%7D", null);
        assertThat(bounded.bodyText()).contains("\"Action\":\"start\"");
        assertThat(fakes.calls).contains("events since=100.0 until=200.0 filters={type=[container]}");

        try (RawHttpClient c = RawHttpClient.connect(socket)) {
            c.send("GET", "/v1.50/events", null, Map.of());
            assertThat(c.readHead().status()).isEqualTo(200);
            assertThat(new String(c.readChunk())).contains("\"Type\":\"container\"");
        }
        // closing the client ends the backend's loop: the sink reports isClosed()
        assertThat(fakes.eventsEnded.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void volumesAndNetworks() throws Exception {
        Response v = call("POST", "/v1.50/volumes/create", "{\"Name\":\"data\",\"Driver\":\"local\",\"DriverOpts\":{},\"Labels\":{}}");
        assertThat(v.status()).isEqualTo(201);
        assertThat(v.bodyText()).contains("\"Name\":\"data\"");
        assertThat(call("GET", "/v1.50/volumes", null).bodyText()).contains("\"Volumes\":[").contains("\"Warnings\":[]");
        assertThat(call("GET", "/v1.50/volumes/data", null).status()).isEqualTo(200);
        assertThat(call("DELETE", "/v1.50/volumes/data", null).status()).isEqualTo(204);
        assertThat(call("GET", "/v1.50/volumes/data", null).status()).isEqualTo(404);
        assertThat(call("POST", "/v1.50/volumes/prune", null).bodyText()).isEqualTo("{\"VolumesDeleted\":[],\"SpaceReclaimed\":0}\n");

        Response n = call("POST", "/v1.50/networks/create", "{\"Name\":\"net1\",\"Driver\":\"bridge\"}");
        assertThat(n.status()).isEqualTo(201);
        assertThat(n.bodyText()).isEqualTo("{\"Id\":\"" + "n".repeat(64) + "\",\"Warning\":\"\"}\n");
        assertThat(call("GET", "/v1.50/networks", null).bodyText()).contains("\"Name\":\"bridge\"");
        assertThat(call("GET", "/v1.50/networks/bridge", null).status()).isEqualTo(200);
        assertThat(call("GET", "/v1.50/networks/nope", null).status()).isEqualTo(404);
        assertThat(call("POST", "/v1.50/networks/bridge/connect", "{\"Container\":\"plain\"}").status()).isEqualTo(200);
        assertThat(call("POST", "/v1.50/networks/bridge/disconnect", "{\"Container\":\"plain\",\"Force\":true}").status()).isEqualTo(200);
        assertThat(call("DELETE", "/v1.50/networks/bridge", null).status()).isEqualTo(204);
        assertThat(call("POST", "/v1.50/networks/prune", null).bodyText()).isEqualTo("{\"NetworksDeleted\":[\"n1\"]}\n");
        assertThat(fakes.calls).contains("network create net1 bridge", "connect bridge plain", "disconnect bridge plain force=true");
    }

    @Test
    void unsupportedEndpointsSaySo() throws Exception {
        Response r = call("POST", "/v1.50/build", null);
        assertThat(r.status()).isEqualTo(501);
        assertThat(r.bodyText()).contains("not supported");
        assertThat(call("GET", "/v1.50/nothing/here", null).bodyText()).isEqualTo("{\"message\":\"page not found\"}\n");
        assertThat(call("GET", "/v1.99/version", null).status()).isEqualTo(400);
    }

    @SuppressWarnings("unused")
    private static String drain(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        return b.toString(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unused")
    private static void sleep() throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(50);
    }
}
