package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.http.testing.RawHttpClient;
import dev.berth.http.testing.RawHttpClient.Response;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class HttpServerTest {
    @TempDir
    Path dir;

    private Path socket;
    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    record Thing(String name, int size) {}

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("run/test.sock");
        Files.createDirectories(socket.getParent());
        Files.writeString(socket, "stale"); // a leftover file must not stop the server
        Router router = new Router()
                .get("/things/{name:.+}/json", ex -> ex.respondJson(200,
                        Map.of("name", ex.pathParam("name"), "version", ex.apiVersion().toString(), "all", ex.queryBool("all", false))))
                .get("/fail/{kind}", ex -> {
                    throw new BerthException(ErrorKind.valueOf(ex.pathParam("kind")), "it failed: " + ex.pathParam("kind"));
                })
                .post("/json", ex -> {
                    Thing t = ex.readJson(Thing.class);
                    ex.respondJson(201, t);
                })
                .post("/count", ex -> {
                    long n = 0;
                    byte[] buf = new byte[8192];
                    InputStream in = ex.body();
                    for (int r; (r = in.read(buf)) > 0; ) {
                        n += r;
                    }
                    ex.respondJson(200, Map.of("bytes", n));
                })
                .get("/stream", ex -> {
                    OutputStream out = ex.respondStream(200, "application/json");
                    out.write("{\"a\":1}\n".getBytes());
                    out.flush();
                    release.await(10, TimeUnit.SECONDS);
                    out.write("{\"b\":2}\n".getBytes());
                })
                .get("/headers-first", ex -> {
                    ex.respondStream(200, "application/json");
                    release.await(10, TimeUnit.SECONDS);
                })
                .post("/hijack", ex -> {
                    Hijacked h = ex.hijack("application/vnd.docker.raw-stream");
                    byte[] all = h.in().readAllBytes(); // until the client half-closes
                    h.out().write(new String(all, StandardCharsets.UTF_8).toUpperCase().getBytes());
                    h.out().write("|bye".getBytes());
                    h.out().flush();
                })
                .head("/_ping", ex -> ex.respondBytes(200, "text/plain", "OK".getBytes()));
        server = new HttpServer(new HttpServerConfig(List.of(new Listener.Unix(socket)),
                ApiVersion.parse("1.24"), ApiVersion.parse("1.50"),
                Map.of("Api-Version", "1.50", "Ostype", "linux"), 1), router);
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop();
    }

    @Test
    void socketIsGroupReadableOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
    }

    @Test
    void routesWithVersionPrefixAndSlashes() throws Exception {
        Response r = RawHttpClient.exchange(socket, "GET", "/v1.41/things/a/b:c/json?all=1", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("Api-Version")).isEqualTo("1.50");
        assertThat(r.header("Ostype")).isEqualTo("linux");
        assertThat(r.bodyText()).contains("\"name\":\"a/b:c\"").contains("\"version\":\"1.41\"").contains("\"all\":true");

        Response unversioned = RawHttpClient.exchange(socket, "GET", "/things/x/json", null);
        assertThat(unversioned.bodyText()).contains("\"version\":\"1.50\"").contains("\"all\":false");
    }

    @Test
    void rejectsVersionsOutOfRange() throws Exception {
        Response tooNew = RawHttpClient.exchange(socket, "GET", "/v1.51/things/x/json", null);
        assertThat(tooNew.status()).isEqualTo(400);
        assertThat(tooNew.bodyText()).contains("client version 1.51 is too new. Maximum supported API version is 1.50");
        Response tooOld = RawHttpClient.exchange(socket, "GET", "/v1.23/things/x/json", null);
        assertThat(tooOld.status()).isEqualTo(400);
        assertThat(tooOld.bodyText()).contains("client version 1.23 is too old");
    }

    @Test
    void unknownRouteIsPageNotFound() throws Exception {
        Response r = RawHttpClient.exchange(socket, "GET", "/v1.50/nope", null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.bodyText()).isEqualTo("{\"message\":\"page not found\"}\n");
        assertThat(r.header("Api-Version")).isEqualTo("1.50");
    }

    @Test
    void errorKindsMapToStatuses() throws Exception {
        Map<ErrorKind, Integer> expected = Map.of(ErrorKind.NOT_FOUND, 404, ErrorKind.CONFLICT, 409,
                ErrorKind.INVALID_ARGUMENT, 400, ErrorKind.UNAUTHORIZED, 401, ErrorKind.FORBIDDEN, 403,
                ErrorKind.NOT_IMPLEMENTED, 501, ErrorKind.UNAVAILABLE, 503, ErrorKind.INTERNAL, 500);
        for (var e : expected.entrySet()) {
            Response r = RawHttpClient.exchange(socket, "GET", "/fail/" + e.getKey(), null);
            assertThat(r.status()).as(e.getKey().name()).isEqualTo(e.getValue());
            assertThat(r.bodyText()).isEqualTo("{\"message\":\"it failed: " + e.getKey() + "\"}\n");
        }
        Response notModified = RawHttpClient.exchange(socket, "GET", "/fail/NOT_MODIFIED", null);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
    }

    @Test
    void aJsonBodyMustSayItIsJson() throws Exception {
        try (RawHttpClient c = RawHttpClient.connect(socket)) {
            c.send("POST", "/json", "{\"name\":\"x\"}", Map.of("Content-Type", "text/plain"));
            Response r = c.readResponse(false);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).isEqualTo("{\"message\":\"Content-Type specified (text/plain) must be 'application/json'\"}\n");
        }
        try (RawHttpClient c = RawHttpClient.connect(socket)) {
            c.send("POST", "/json", "{\"name\":\"x\"}", Map.of("Content-Type", "application/json; charset=utf-8"));
            assertThat(c.readResponse(false).status()).isEqualTo(201);
        }
    }

    @Test
    void malformedJsonIsBadRequest() throws Exception {
        Response r = RawHttpClient.exchange(socket, "POST", "/json", "{\"name\": ");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.bodyText()).startsWith("{\"message\":\"invalid JSON: ");
        Response ok = RawHttpClient.exchange(socket, "POST", "/json", "{\"name\":\"x\",\"SIZE\":3,\"extra\":1}");
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.bodyText()).isEqualTo("{\"name\":\"x\",\"size\":3}\n");
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        try (RawHttpClient c = RawHttpClient.connect(socket)) {
            for (int i = 0; i < 3; i++) {
                c.send("POST", "/json", "{\"name\":\"n" + i + "\",\"size\":" + i + "}", Map.of());
                Response r = c.readResponse();
                assertThat(r.status()).isEqualTo(201);
                assertThat(r.bodyText()).contains("n" + i);
                c.send("HEAD", "/_ping", null, Map.of());
                assertThat(c.readResponse(true).status()).isEqualTo(200);
                c.send("GET", "/nope", null, Map.of());
                assertThat(c.readResponse().status()).isEqualTo(404);
            }
        }
    }

    @Test
    void unreadBodiesAreDrainedBeforeTheNextRequest() throws Exception {
        try (RawHttpClient c = RawHttpClient.connect(socket)) {
            String big = "x".repeat(3 << 20);
            c.send("POST", "/nope", big, Map.of()); // 404 without reading the 3 MiB body
            assertThat(c.readResponse().status()).isEqualTo(404);
            c.send("POST", "/json", "{\"name\":\"after\"}", Map.of());
            assertThat(c.readResponse().bodyText()).contains("after");
        }
    }

    @Test
    void streamsLargeRequestBodies() throws Exception {
        int size = 20 << 20;
        try (RawHttpClient c = RawHttpClient.connect(socket)) {
            c.writeRaw(("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n").getBytes());
            byte[] block = new byte[1 << 16];
            for (int sent = 0; sent < size; sent += block.length) {
                c.output().write(block);
            }
            c.output().flush();
            assertThat(c.readResponse().bodyText()).isEqualTo("{\"bytes\":" + size + "}\n");
            c.writeRaw("POST /count HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n".getBytes());
            assertThat(c.readResponse().bodyText()).isEqualTo("{\"bytes\":8}\n");
        }
    }

    @Test
    void chunkedStreamIsFlushedBeforeTheHandlerFinishes() throws Exception {
        try (RawHttpClient c = RawHttpClient.connect(socket)) {
            c.send("GET", "/stream", null, Map.of());
            Response head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(new String(c.readChunk())).isEqualTo("{\"a\":1}\n");
            release.countDown();
            assertThat(new String(c.readChunk())).isEqualTo("{\"b\":2}\n");
            assertThat(c.readChunk()).isNull();
            // the connection is still usable
            c.send("HEAD", "/_ping", null, Map.of());
            assertThat(c.readResponse(true).status()).isEqualTo(200);
        }
    }

    @Test
    void headersAreSentBeforeAnyBody() throws Exception {
        try (RawHttpClient c = RawHttpClient.connect(socket)) {
            c.send("GET", "/headers-first", null, Map.of());
            assertThat(c.readHead().status()).isEqualTo(200);
            release.countDown();
            assertThat(c.readChunk()).isNull();
        }
    }

    @Test
    void hijackUpgradesAndSeesHalfClose() throws Exception {
        try (RawHttpClient c = RawHttpClient.connect(socket)) {
            c.send("POST", "/v1.50/hijack", null, Map.of("Connection", "Upgrade", "Upgrade", "tcp"));
            Response head = c.readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.reason()).isEqualTo("UPGRADED");
            assertThat(head.header("Connection")).isEqualTo("Upgrade");
            assertThat(head.header("Upgrade")).isEqualTo("tcp");
            assertThat(head.header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
            assertThat(head.header("Api-Version")).isEqualTo("1.50");
            c.writeRaw("hello ".getBytes());
            c.writeRaw("world".getBytes());
            c.shutdownOutput();
            assertThat(new String(c.input().readAllBytes())).isEqualTo("HELLO WORLD|bye");
        }
    }

    @Test
    void aClientThatHalfClosesRightAfterItsUpgradeRequestStillGetsTheStream() throws Exception {
        try (RawHttpClient c = RawHttpClient.connect(socket)) {
            c.send("POST", "/v1.50/hijack", null, Map.of("Connection", "Upgrade", "Upgrade", "tcp"));
            c.shutdownOutput(); // nothing to send: stdin is at its end before the 101 arrives
            assertThat(c.readHead().status()).isEqualTo(101);
            assertThat(new String(c.input().readAllBytes())).isEqualTo("|bye");
        }
    }

    @Test
    void hijackWithoutUpgradeAnswers200() throws Exception {
        try (RawHttpClient c = RawHttpClient.connect(socket)) {
            c.send("POST", "/hijack", null, Map.of());
            Response head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
            c.writeRaw("x".getBytes());
            c.shutdownOutput();
            assertThat(new String(c.input().readAllBytes())).isEqualTo("X|bye");
        }
    }

    @Test
    void stopRemovesTheSocket() {
        server.stop();
        assertThat(socket).doesNotExist();
    }
}
