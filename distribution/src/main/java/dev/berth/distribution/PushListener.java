package dev.berth.distribution;

import dev.berth.common.Digest;

/**
 * Progress of a push, one callback per dockerd message (see {@link DockerProgress}). Called from
 * several threads; implementations must be thread-safe. All methods default to doing nothing.
 * The layer id shown is {@code diffId.shortHex()}.
 */
public interface PushListener {
    /** "The push refers to repository [host:5000/x]". */
    default void pushRefersTo(String repository) {}

    /** "Preparing". */
    default void preparing(LayerSource.Blob layer) {}

    /** "Waiting". */
    default void waiting(LayerSource.Blob layer) {}

    /** "Pushing" with progressDetail current/total. */
    default void pushing(LayerSource.Blob layer, long current, long total) {}

    /** "Pushed". */
    default void pushed(LayerSource.Blob layer) {}

    /** "Layer already exists". */
    default void alreadyExists(LayerSource.Blob layer) {}

    /** "Mounted from library/busybox". */
    default void mountedFrom(LayerSource.Blob layer, String fromRepository) {}

    /** "latest: digest: sha256:… size: 527". */
    default void manifestPushed(String tag, Digest digest, long size) {}

    static PushListener none() {
        return new PushListener() {};
    }
}
