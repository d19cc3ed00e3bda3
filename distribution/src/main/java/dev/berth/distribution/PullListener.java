package dev.berth.distribution;

import dev.berth.common.Digest;

/**
 * Progress of a pull, one callback per dockerd progress message (see {@link DockerProgress}).
 * Called from several threads (one per concurrent layer download); implementations must be
 * thread-safe. All methods default to doing nothing.
 */
public interface PullListener {
    /** "Pulling from library/busybox" (the repository path without registry, as dockerd shows it) with id = tag (or digest). */
    default void pullingFrom(String repositoryPath, String tagOrDigest) {}

    /** "Pulling fs layer". */
    default void layerPending(LayerInfo layer) {}

    /** "Already exists". */
    default void layerExists(LayerInfo layer) {}

    /** "Waiting": the download waits for a free slot. */
    default void layerWaiting(LayerInfo layer) {}

    /** "Downloading" with progressDetail current/total. */
    default void layerDownloading(LayerInfo layer, long current, long total) {}

    /** "Verifying Checksum". */
    default void layerVerifying(LayerInfo layer) {}

    /** "Download complete". */
    default void layerDownloaded(LayerInfo layer) {}

    /** "Extracting" with progressDetail current/total (compressed bytes read). */
    default void layerExtracting(LayerInfo layer, long current, long total) {}

    /** "Pull complete". */
    default void layerComplete(LayerInfo layer) {}

    /** "Digest: sha256:…" (the digest the reference resolved to, an index digest for multi-platform images). */
    default void digest(Digest digest) {}

    static PullListener none() {
        return new PullListener() {};
    }
}
