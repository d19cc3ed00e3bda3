package dev.berth.registry;

import dev.berth.common.Digest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Starts a real registry on 127.0.0.1 (free port) per test, with a plain JDK HTTP client. */
abstract class RegistryTestSupport {
    @TempDir
    Path tmp;
    RegistryServer server;
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    RegistryServer.Config config() {
        return RegistryServer.Config.of("127.0.0.1", 0, tmp.resolve("root"));
    }

    @BeforeEach
    void startServer() throws IOException {
        server = new RegistryServer(config());
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
        http.close();
    }

    URI uri(String path) {
        return URI.create("http://" + server.hostPort() + path);
    }

    HttpResponse<byte[]> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    HttpResponse<byte[]> head(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    /** Monolithic upload (POST ?digest=) of a blob; returns its digest. */
    Digest putBlob(String repo, byte[] data) throws IOException, InterruptedException {
        Digest d = Digest.sha256(data);
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri("/v2/" + repo + "/blobs/uploads/?digest=" + d))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(data)));
        if (r.statusCode() != 201) {
            throw new AssertionError("blob upload: " + r.statusCode() + " " + new String(r.body()));
        }
        return d;
    }

    HttpResponse<byte[]> putManifest(String repo, String ref, String mediaType, byte[] body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/v2/" + repo + "/manifests/" + ref)).header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    static String errorCode(HttpResponse<byte[]> r) {
        return dev.berth.common.Json.mapper().readTree(r.body()).path("errors").get(0).path("code").asString();
    }
}
