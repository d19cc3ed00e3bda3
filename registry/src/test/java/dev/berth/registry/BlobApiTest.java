package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.common.Digest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BlobApiTest extends RegistryTestSupport {
    final byte[] data = "hello registry, this is a blob of some bytes".getBytes();

    @Test
    void baseEndpoint() throws Exception {
        HttpResponse<byte[]> r = get("/v2/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
    }

    @Test
    void monolithicUploadThenHeadGetRangeDelete() throws Exception {
        Digest d = putBlob("a/b", data);
        HttpResponse<byte[]> h = head("/v2/a/b/blobs/" + d);
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(h.headers().firstValueAsLong("Content-Length")).hasValue(data.length);
        assertThat(h.headers().firstValue("Docker-Content-Digest")).hasValue(d.toString());
        assertThat(h.body()).isEmpty();

        HttpResponse<byte[]> g = get("/v2/a/b/blobs/" + d);
        assertThat(g.statusCode()).isEqualTo(200);
        assertThat(g.body()).isEqualTo(data);

        HttpResponse<byte[]> part = send(HttpRequest.newBuilder(uri("/v2/a/b/blobs/" + d)).header("Range", "bytes=6-13"));
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 6-13/" + data.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(data, 6, 14));

        HttpResponse<byte[]> tail = send(HttpRequest.newBuilder(uri("/v2/a/b/blobs/" + d)).header("Range", "bytes=40-"));
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(data, 40, data.length));

        HttpResponse<byte[]> bad = send(HttpRequest.newBuilder(uri("/v2/a/b/blobs/" + d)).header("Range", "bytes=999-"));
        assertThat(bad.statusCode()).isEqualTo(416);

        assertThat(get("/v2/other/blobs/" + d).statusCode()).as("not linked into other repo").isEqualTo(404);
        HttpResponse<byte[]> del = send(HttpRequest.newBuilder(uri("/v2/a/b/blobs/" + d)).DELETE());
        assertThat(del.statusCode()).isEqualTo(202);
        HttpResponse<byte[]> gone = get("/v2/a/b/blobs/" + d);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(errorCode(gone)).isEqualTo("BLOB_UNKNOWN");
    }

    @Test
    void chunkedUploadWithStatusAndOutOfOrder416() throws Exception {
        HttpResponse<byte[]> start = send(HttpRequest.newBuilder(uri("/v2/c/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(start.statusCode()).isEqualTo(202);
        String loc = start.headers().firstValue("Location").orElseThrow();
        assertThat(start.headers().firstValue("Docker-Upload-UUID")).isPresent();
        assertThat(start.headers().firstValue("Range")).hasValue("0-0");

        HttpResponse<byte[]> p1 = send(HttpRequest.newBuilder(uri(loc)).header("Content-Range", "0-9")
                .header("Content-Type", "application/octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(data, 0, 10))));
        assertThat(p1.statusCode()).isEqualTo(202);
        assertThat(p1.headers().firstValue("Range")).hasValue("0-9");
        loc = p1.headers().firstValue("Location").orElseThrow();

        HttpResponse<byte[]> wrong = send(HttpRequest.newBuilder(uri(loc)).header("Content-Range", "20-29")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(data, 20, 30))));
        assertThat(wrong.statusCode()).isEqualTo(416);

        HttpResponse<byte[]> status = get(loc);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(status.headers().firstValue("Range")).hasValue("0-9");

        HttpResponse<byte[]> p2 = send(HttpRequest.newBuilder(uri(loc)).header("Content-Range", "10-19")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(data, 10, 20))));
        assertThat(p2.statusCode()).isEqualTo(202);
        Digest d = Digest.sha256(data);
        // The last chunk goes with the PUT.
        HttpResponse<byte[]> put = send(HttpRequest.newBuilder(uri(p2.headers().firstValue("Location").orElseThrow() + "?digest=" + d))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(data, 20, data.length))));
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(d.toString());
        assertThat(put.headers().firstValue("Location")).hasValue("/v2/c/blobs/" + d);
        assertThat(get("/v2/c/blobs/" + d).body()).isEqualTo(data);
        assertThat(get(loc).statusCode()).as("session gone").isEqualTo(404);
    }

    @Test
    void digestMismatchIsRejected() throws Exception {
        Digest wrong = Digest.sha256("other".getBytes());
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri("/v2/x/blobs/uploads/?digest=" + wrong))
                .POST(HttpRequest.BodyPublishers.ofByteArray(data)));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("DIGEST_INVALID");
        assertThat(server.storage().blobExists(wrong)).isFalse();
    }

    @Test
    void crossRepositoryMount() throws Exception {
        Digest d = putBlob("src", data);
        HttpResponse<byte[]> m = send(HttpRequest.newBuilder(uri("/v2/dst/blobs/uploads/?mount=" + d + "&from=src"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(m.statusCode()).isEqualTo(201);
        assertThat(m.headers().firstValue("Location")).hasValue("/v2/dst/blobs/" + d);
        assertThat(get("/v2/dst/blobs/" + d).body()).isEqualTo(data);
        HttpResponse<byte[]> miss = send(HttpRequest.newBuilder(uri("/v2/dst2/blobs/uploads/?mount=" + d + "&from=nothere"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(miss.statusCode()).as("falls back to an upload session").isEqualTo(202);
    }

    @Test
    void invalidNameAndDigest() throws Exception {
        assertThat(get("/v2/UPPER/blobs/sha256:" + "a".repeat(64)).statusCode()).isIn(400, 404);
        HttpResponse<byte[]> r = get("/v2/ok/blobs/sha256:xyz");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("DIGEST_INVALID");
    }
}
