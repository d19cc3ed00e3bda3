package dev.berth.distribution;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where pulled layers go; the daemon implements it on its image store, so pulling knows nothing
 * of snapshots. A pull unpacks its layers as they download, several at once and in any order
 * ({@link #unpack}), then commits them bottom first ({@link Staged#commit}), so a layer appears
 * only over the layers below it. Implementations must be thread-safe across concurrent pulls.
 */
public interface LayerSink {

    /** True when the layer stack up to and including {@code layer} already exists locally (see {@link LayerInfo#chainId()}); the layer is then neither downloaded nor applied. */
    boolean hasLayer(LayerInfo layer);

    /**
     * Unpacks one layer where nothing sees it yet. Called from several threads at once (one per
     * layer being downloaded), in any order. {@code uncompressed} is the layer tar, decompressed
     * as the blob arrives; read it to the end. Reading may throw an {@link IOException} (or
     * INVALID_ARGUMENT) at any point, in particular at the end when the blob does not match its
     * digest: nothing read may become visible before this method returned. Whether the tar is
     * also checked against {@link LayerInfo#diffId()} while read depends on
     * {@link #verifiesDiffIds()}. On failure, leave nothing behind.
     */
    Staged unpack(LayerInfo layer, InputStream uncompressed) throws IOException;

    /**
     * True when {@link #unpack} checks the tar against the layer's diff id itself (throwing
     * INVALID_ARGUMENT on mismatch, e.g. a content store that hashes what it stores anyway);
     * false (the default) makes the puller check it, at the cost of hashing the tar once more.
     */
    default boolean verifiesDiffIds() {
        return false;
    }

    /** An unpacked layer, not visible yet. Used by one pull. */
    interface Staged extends AutoCloseable {
        /**
         * Makes the layer visible on top of the layers below it, which are committed or existed
         * already. Called bottom layer first, from the pulling thread.
         */
        void commit() throws IOException;

        /** Discards the layer unless it was committed; idempotent. */
        @Override
        void close();
    }
}
