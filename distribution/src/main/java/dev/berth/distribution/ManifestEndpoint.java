package dev.berth.distribution;

import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import dev.berth.oci.image.MediaTypes;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

/** {@code /v2/<name>/manifests/<reference>}: GET (content negotiation, verified), HEAD, PUT. */
public final class ManifestEndpoint {
    /** Every manifest type we understand, most preferred first (sent as {@code Accept}). */
    public static final List<String> ACCEPT = List.of(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST,
            MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST);
    static final int MAX_MANIFEST = 4 << 20;
    private static final String SCHEMA1 = "application/vnd.docker.distribution.manifest.v1";

    private final RegistryClient client;

    ManifestEndpoint(RegistryClient client) {
        this.client = client;
    }

    private HttpRequest.Builder request(String repo, String reference) {
        HttpRequest.Builder b = HttpRequest.newBuilder(client.uri("/v2/" + repo + "/manifests/" + reference))
                .timeout(client.timeout());
        for (String a : ACCEPT) {
            b.header("Accept", a);
        }
        return b;
    }

    /**
     * Fetches a manifest or index by tag or digest and verifies it: by digest, the bytes must
     * hash to it; by tag, to the {@code Docker-Content-Digest} header when the registry sends one.
     */
    public FetchedManifest get(String repo, String reference) throws IOException {
        HttpResponse<byte[]> r = client.send(request(repo, reference).GET(), HttpResponse.BodyHandlers.ofByteArray(),
                List.of(RegistryClient.pullScope(repo)));
        byte[] body = r.body();
        if (body.length > MAX_MANIFEST) {
            throw BerthException.invalid("manifest %s:%s is too large (%d bytes)", repo, reference, body.length);
        }
        Digest actual = Digest.sha256(body);
        if (Digest.isDigest(reference)) {
            Digest want = Digest.parse(reference);
            if (!want.algorithm().equals("sha256") || !want.equals(actual)) {
                throw BerthException.invalid("manifest verification failed for digest %s", reference);
            }
        } else {
            Optional<String> header = r.headers().firstValue("Docker-Content-Digest");
            if (header.isPresent() && Digest.isDigest(header.get()) && Digest.parse(header.get()).algorithm().equals("sha256")
                    && !Digest.parse(header.get()).equals(actual)) {
                throw BerthException.invalid("manifest verification failed for digest %s", header.get());
            }
        }
        String mediaType = r.headers().firstValue("Content-Type").map(ManifestEndpoint::bare).orElse(null);
        if (mediaType == null || !ACCEPT.contains(mediaType)) {
            String fromBody = FetchedManifest.mediaTypeOf(body);
            if (fromBody != null) {
                mediaType = fromBody;
            }
        }
        if (mediaType != null && mediaType.startsWith(SCHEMA1)) {
            throw BerthException.invalid("[DEPRECATION NOTICE] Docker Image Format v1 and Docker Image manifest version 2, "
                    + "schema 1 support has been removed. Suggest the author of %s:%s to upgrade the image", repo, reference);
        }
        if (mediaType == null || !ACCEPT.contains(mediaType)) {
            throw BerthException.invalid("unsupported manifest media type %s for %s:%s", mediaType, repo, reference);
        }
        return new FetchedManifest(actual, mediaType, body);
    }

    private static String bare(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    }

    /** HEAD: the digest the registry reports for a tag or digest; empty when unknown (404). */
    public Optional<Digest> head(String repo, String reference) throws IOException {
        try {
            HttpResponse<Void> r = client.send(request(repo, reference).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                    HttpResponse.BodyHandlers.discarding(), List.of(RegistryClient.pullScope(repo)));
            return r.headers().firstValue("Docker-Content-Digest").filter(Digest::isDigest).map(Digest::parse);
        } catch (RegistryException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** PUT a manifest under a tag or its digest; returns its digest (checked against the registry's). */
    public Digest put(String repo, String reference, String mediaType, byte[] bytes) throws IOException {
        Digest d = Digest.sha256(bytes);
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(client.uri("/v2/" + repo + "/manifests/" + reference))
                .timeout(client.timeout()).header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)),
                HttpResponse.BodyHandlers.discarding(), List.of(RegistryClient.pushScope(repo)));
        Optional<String> got = r.headers().firstValue("Docker-Content-Digest");
        if (got.isPresent() && Digest.isDigest(got.get()) && !Digest.parse(got.get()).equals(d)) {
            throw BerthException.invalid("registry stored manifest as %s, expected %s", got.get(), d);
        }
        return d;
    }
}
