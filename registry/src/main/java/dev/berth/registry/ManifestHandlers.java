package dev.berth.registry;

import dev.berth.common.Digest;
import dev.berth.common.Json;
import dev.berth.http.HttpExchange;
import dev.berth.oci.image.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET|HEAD|PUT|DELETE /v2/<name>/manifests/<reference>} for OCI image manifests and
 * indexes and Docker v2.2 manifests and manifest lists. A PUT checks that every referenced
 * blob (or, for an index, manifest) is in the repository, stores the bytes as a blob, links the
 * revision and moves the tag.
 */
final class ManifestHandlers {
    static final int MAX_MANIFEST = 4 << 20;
    static final Set<String> TYPES = Set.of(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST,
            MediaTypes.DOCKER_MANIFEST_LIST);

    private final RegistryStorage storage;

    ManifestHandlers(RegistryStorage storage) {
        this.storage = storage;
    }

    /** Resolves a tag or digest to a digest linked in the repository. */
    private Digest resolve(String name, String reference) throws IOException {
        Digest d;
        if (Digest.isDigest(reference)) {
            d = Digest.parse(reference);
        } else if (Names.isTag(reference)) {
            d = storage.resolveTag(name, reference).orElseThrow(() -> unknown(name, reference));
        } else {
            throw new RegistryError(ErrorCode.MANIFEST_INVALID, 400, "invalid tag or digest", reference);
        }
        if (storage.manifestMediaType(name, d).isEmpty()) {
            throw unknown(name, reference);
        }
        return d;
    }

    private RegistryError unknown(String name, String reference) {
        if (!storage.repositoryExists(name)) {
            return new RegistryError(ErrorCode.NAME_UNKNOWN, name);
        }
        return new RegistryError(ErrorCode.MANIFEST_UNKNOWN, 404, "manifest unknown", reference);
    }

    void get(HttpExchange ex) throws IOException {
        String name = Names.checkName(ex.pathParam("name"));
        Digest d = resolve(name, ex.pathParam("reference"));
        String mediaType = storage.manifestMediaType(name, d).orElseThrow();
        byte[] bytes = storage.readBlob(d);
        ex.setHeader("Docker-Content-Digest", d.toString());
        ex.setHeader("ETag", "\"" + d + "\"");
        ex.respondBytes(200, mediaType, bytes);
    }

    void put(HttpExchange ex) throws IOException {
        String name = Names.checkName(ex.pathParam("name"));
        String reference = ex.pathParam("reference");
        byte[] bytes;
        try (InputStream in = ex.body()) {
            bytes = in.readNBytes(MAX_MANIFEST + 1);
        }
        if (bytes.length > MAX_MANIFEST) {
            throw new RegistryError(ErrorCode.SIZE_INVALID, 413, "manifest too large", MAX_MANIFEST);
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(bytes);
        } catch (RuntimeException e) {
            throw new RegistryError(ErrorCode.MANIFEST_INVALID, 400, "manifest invalid", e.getMessage());
        }
        if (node == null || !node.isObject() || node.path("schemaVersion").asInt(0) != 2) {
            throw new RegistryError(ErrorCode.MANIFEST_INVALID, 400, "manifest invalid", "schemaVersion must be 2");
        }
        String bodyType = node.path("mediaType").asString(null);
        String contentType = bare(ex.header("Content-Type"));
        String mediaType = contentType != null && TYPES.contains(contentType) ? contentType : bodyType;
        if (mediaType == null) {
            mediaType = node.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        }
        if (!TYPES.contains(mediaType)) {
            throw new RegistryError(ErrorCode.MANIFEST_INVALID, 400, "unsupported manifest media type", mediaType);
        }
        if (bodyType != null && !bodyType.equals(mediaType)) {
            throw new RegistryError(ErrorCode.MANIFEST_INVALID, 400, "manifest invalid",
                    "mediaType " + bodyType + " does not match Content-Type " + mediaType);
        }
        Digest d = Digest.sha256(bytes);
        if (Digest.isDigest(reference)) {
            if (!Digest.parse(reference).equals(d)) {
                throw new RegistryError(ErrorCode.DIGEST_INVALID, reference);
            }
        } else if (!Names.isTag(reference)) {
            throw new RegistryError(ErrorCode.MANIFEST_INVALID, 400, "invalid tag", reference);
        }
        checkReferences(name, mediaType, node);
        storage.putBlob(bytes);
        storage.linkManifest(name, d, mediaType);
        if (!Digest.isDigest(reference)) {
            storage.tag(name, reference, d);
        }
        JsonNode subject = node.path("subject");
        if (subject.isObject() && Digest.isDigest(subject.path("digest").asString(""))) {
            ex.setHeader("OCI-Subject", subject.path("digest").asString());
        }
        ex.setHeader("Location", "/v2/" + name + "/manifests/" + d);
        ex.setHeader("Docker-Content-Digest", d.toString());
        ex.respond(201);
    }

    private void checkReferences(String name, String mediaType, JsonNode node) throws IOException {
        if (MediaTypes.isIndex(mediaType)) {
            for (JsonNode m : node.path("manifests")) {
                Digest d = descriptorDigest(m);
                if (storage.manifestMediaType(name, d).isEmpty()) {
                    throw new RegistryError(ErrorCode.MANIFEST_BLOB_UNKNOWN, d.toString());
                }
            }
            return;
        }
        JsonNode config = node.path("config");
        if (!config.isObject()) {
            throw new RegistryError(ErrorCode.MANIFEST_INVALID, 400, "manifest invalid", "missing config");
        }
        requireBlob(name, descriptorDigest(config));
        for (JsonNode layer : node.path("layers")) {
            if (layer.path("urls").isArray() && !layer.path("urls").isEmpty()) {
                continue; // foreign layer: the blob lives elsewhere
            }
            requireBlob(name, descriptorDigest(layer));
        }
    }

    private void requireBlob(String name, Digest d) {
        if (!storage.isLayerLinked(name, d)) {
            throw new RegistryError(ErrorCode.MANIFEST_BLOB_UNKNOWN, d.toString());
        }
    }

    private static Digest descriptorDigest(JsonNode descriptor) {
        String s = descriptor.path("digest").asString("");
        if (!Digest.isDigest(s)) {
            throw new RegistryError(ErrorCode.MANIFEST_INVALID, 400, "manifest invalid", "invalid descriptor digest " + s);
        }
        return Digest.parse(s);
    }

    static String bare(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    }

    void delete(HttpExchange ex) throws IOException {
        String name = Names.checkName(ex.pathParam("name"));
        String reference = ex.pathParam("reference");
        if (Digest.isDigest(reference)) {
            Digest d = Digest.parse(reference);
            if (!storage.unlinkManifest(name, d)) {
                throw unknown(name, reference);
            }
        } else {
            Optional<Digest> d = storage.resolveTag(name, reference);
            if (d.isEmpty()) {
                throw unknown(name, reference);
            }
            storage.untag(name, reference);
        }
        ex.respond(202);
    }
}
