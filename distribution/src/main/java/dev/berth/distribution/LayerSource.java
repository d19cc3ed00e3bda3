package dev.berth.distribution;

import dev.berth.common.Digest;
import dev.berth.oci.image.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * What a push uploads; the daemon implements it from its image store. The manifest is built by
 * the daemon (it knows how its layers are compressed); its config and layer descriptors must be
 * the blobs offered here. Thread-safe: blobs are opened from several threads at once.
 */
public interface LayerSource {

    /** One blob to push. */
    interface Blob {
        Descriptor descriptor();

        /** Digest of the uncompressed layer (dockerd shows its short form in push progress); null for the config. */
        Digest diffId();

        /** Opens the blob's bytes from the start; may be called more than once (retries, chunks). */
        InputStream open() throws IOException;
    }

    /** The manifest bytes exactly as they will be PUT (their digest is the pushed digest). */
    byte[] manifest();

    /** The manifest's media type (OCI or Docker v2.2). */
    String manifestMediaType();

    /** The config blob. */
    Blob config();

    /** The layer blobs, bottom first. */
    List<Blob> layers();

    /**
     * Repositories in the same registry that are known to hold {@code digest} (e.g. where it was
     * pulled from), tried for a cross-repository mount before uploading. Empty by default.
     */
    default List<String> mountCandidates(Digest digest) {
        return List.of();
    }
}
