package dev.berth.distribution;

import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code /v2/<name>/blobs/uploads/}: start (POST), cross-repository mount (POST ?mount&from),
 * chunks (PATCH with {@code Content-Range}), completion (PUT ?digest), monolithic (POST then PUT
 * with the body). Every step returns the next {@code Location} the registry gave.
 */
public final class UploadEndpoint {
    private final RegistryClient client;

    UploadEndpoint(RegistryClient client) {
        this.client = client;
    }

    /** The outcome of a mount attempt: mounted, or an upload session to use instead. */
    public record MountResult(boolean mounted, URI uploadLocation) {}

    /** POST: starts an upload session. */
    public URI start(String repo) throws IOException {
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(client.uri("/v2/" + repo + "/blobs/uploads/"))
                .timeout(client.timeout()).POST(HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.discarding(), List.of(RegistryClient.pushScope(repo)));
        return location(r, 202);
    }

    /** POST ?mount=&amp;from=: 201 means mounted; 202 is a fresh upload session (mount refused). */
    public MountResult mount(String repo, Digest digest, String fromRepo) throws IOException {
        URI u = client.uri("/v2/" + repo + "/blobs/uploads/?mount=" + enc(digest.toString()) + "&from=" + enc(fromRepo));
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(u).timeout(client.timeout()).POST(HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.discarding(), List.of(RegistryClient.pushScope(repo), RegistryClient.pullScope(fromRepo)));
        if (r.statusCode() == 201) {
            return new MountResult(true, null);
        }
        return new MountResult(false, location(r, 202));
    }

    /** PATCH one chunk at {@code offset}; returns the next location. */
    public URI patch(String repo, URI location, Supplier<InputStream> chunk, long offset, long length) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(location)
                .header("Content-Type", "application/octet-stream")
                .header("Content-Range", offset + "-" + (offset + length - 1))
                .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(chunk), length));
        HttpResponse<Void> r = client.send(b, HttpResponse.BodyHandlers.discarding(), List.of(RegistryClient.pushScope(repo)));
        return location(r, 202);
    }

    /** PUT ?digest= with an optional final body; the blob is then committed (201). */
    public void complete(String repo, URI location, Digest digest, Supplier<InputStream> body, long length) throws IOException {
        URI u = withQuery(location, "digest=" + enc(digest.toString()));
        HttpRequest.Builder b = HttpRequest.newBuilder(u).header("Content-Type", "application/octet-stream");
        if (body == null || length == 0) {
            b.PUT(HttpRequest.BodyPublishers.noBody());
        } else {
            b.PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), length));
        }
        HttpResponse<Void> r = client.send(b, HttpResponse.BodyHandlers.discarding(), List.of(RegistryClient.pushScope(repo)));
        if (r.statusCode() != 201 && r.statusCode() != 204 && r.statusCode() != 200) {
            throw BerthException.unavailable("blob upload of %s: unexpected status %d", digest, r.statusCode());
        }
    }

    static URI withQuery(URI location, String param) {
        String s = location.toString();
        return URI.create(s + (s.contains("?") ? "&" : "?") + param);
    }

    private URI location(HttpResponse<?> r, int expected) {
        if (r.statusCode() != expected) {
            throw BerthException.unavailable("blob upload: unexpected status %d (expected %d)", r.statusCode(), expected);
        }
        String loc = r.headers().firstValue("Location")
                .orElseThrow(() -> BerthException.unavailable("blob upload: registry sent no Location"));
        return client.resolve(loc);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
