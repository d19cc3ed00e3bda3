package dev.berth.distribution;

import dev.berth.common.Digest;
import dev.berth.common.Json;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Index;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.image.MediaTypes;

/**
 * A manifest or index exactly as the registry served it, already verified against its digest.
 *
 * @param digest    the digest of {@link #bytes}
 * @param mediaType one of the four manifest media types
 * @param bytes     the exact bytes (kept: the digest is of these)
 */
public record FetchedManifest(Digest digest, String mediaType, byte[] bytes) {

    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }

    public Manifest manifest() {
        return Json.mapper().readValue(bytes, Manifest.class);
    }

    public Index index() {
        return Json.mapper().readValue(bytes, Index.class);
    }

    public Descriptor descriptor() {
        return new Descriptor(mediaType, digest.toString(), bytes.length);
    }

    /** The media type from the JSON body's {@code mediaType} field, or null. */
    static String mediaTypeOf(byte[] bytes) {
        try {
            var node = Json.mapper().readTree(bytes);
            String mt = node.path("mediaType").asString(null);
            if (mt == null && node.has("manifests")) {
                return MediaTypes.OCI_INDEX;
            }
            if (mt == null && node.has("layers")) {
                return MediaTypes.OCI_MANIFEST;
            }
            return mt;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
