package dev.berth.distribution;

import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.OptionalLong;

/** {@code /v2/<name>/blobs/<digest>}: HEAD (exists?), GET (whole or from an offset). */
public final class BlobEndpoint {
    private final RegistryClient client;

    BlobEndpoint(RegistryClient client) {
        this.client = client;
    }

    /** The blob's size when the repository has it; empty on 404. */
    public OptionalLong exists(String repo, Digest digest, List<String> scopes) throws IOException {
        try {
            HttpResponse<Void> r = client.send(HttpRequest.newBuilder(client.uri("/v2/" + repo + "/blobs/" + digest))
                    .timeout(client.timeout()).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                    HttpResponse.BodyHandlers.discarding(), scopes);
            return OptionalLong.of(r.headers().firstValueAsLong("Content-Length").orElse(-1));
        } catch (RegistryException e) {
            if (e.status() == 404) {
                return OptionalLong.empty();
            }
            throw e;
        }
    }

    /**
     * Opens the blob from byte {@code offset} (a {@code Range} request when offset &gt; 0). The
     * response status says whether the registry honoured the range (206) or sent it all (200).
     */
    public HttpResponse<InputStream> open(String repo, Digest digest, long offset) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(client.uri("/v2/" + repo + "/blobs/" + digest)).GET();
        if (offset > 0) {
            b.header("Range", "bytes=" + offset + "-");
        }
        return client.send(b, HttpResponse.BodyHandlers.ofInputStream(), List.of(RegistryClient.pullScope(repo)));
    }

    /** Reads a small blob (an image config) into memory and verifies its digest. */
    public byte[] readSmall(String repo, Digest digest, long maxSize) throws IOException {
        HttpResponse<InputStream> r = open(repo, digest, 0);
        byte[] bytes;
        try (InputStream in = r.body()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxSize + 1));
        }
        if (bytes.length > maxSize) {
            throw BerthException.invalid("blob %s is larger than %d bytes", digest, maxSize);
        }
        if (!Digest.sha256(bytes).equals(digest)) {
            throw BerthException.invalid("blob verification failed for digest %s", digest);
        }
        return bytes;
    }
}
