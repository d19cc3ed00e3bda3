package dev.berth.image;

import java.util.List;
import java.util.Map;

/**
 * An image in the local store, as the daemon and the API see it.
 *
 * @param id the image id: the digest of its config ({@code sha256:…})
 * @param repoTags normalized-for-display references, e.g. {@code busybox:latest}
 * @param repoDigests e.g. {@code busybox@sha256:…}
 * @param parent the parent image id or "" (local builds only)
 * @param created RFC 3339 creation time from the config
 * @param config the runtime defaults of the image (the config's {@code config} object)
 * @param diffIds uncompressed layer digests, bottom first
 * @param size total bytes of the unpacked layers
 */
public record LocalImage(
        String id,
        List<String> repoTags,
        List<String> repoDigests,
        String parent,
        String created,
        String author,
        String comment,
        String architecture,
        String variant,
        String os,
        ImageRuntimeConfig config,
        List<String> diffIds,
        long size,
        Map<String, String> labels) {}
