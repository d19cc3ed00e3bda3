package dev.berth.distribution;

import dev.berth.common.Digest;
import dev.berth.oci.ref.Reference;
import java.util.List;

/**
 * What a pull fetched; the daemon stores it (config bytes → image id, tag → image).
 *
 * @param reference       the normalized reference that was pulled
 * @param digest          the digest the reference resolved to (index digest for multi-platform images); "Digest: …"
 * @param index           the index/manifest-list bytes, or null for a single-platform image
 * @param manifest        the platform manifest as served
 * @param configDigest    digest of the image config = the image id
 * @param config          the image config bytes
 * @param layers          the layers (foreign layers excluded), bottom first
 * @param downloadedLayers how many layers were downloaded (0: everything already existed)
 */
public record PullResult(Reference reference, Digest digest, FetchedManifest index, FetchedManifest manifest,
        Digest configDigest, byte[] config, List<LayerInfo> layers, int downloadedLayers) {}
