package dev.berth.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where pulled layers go; the daemon implements it on its image store, so pulling knows nothing
 * of snapshots. Calls for one pull come from several threads but {@link #applyLayer} is called
 * in layer order (bottom first), one at a time, only after the layers below were applied or
 * already existed. Implementations must be thread-safe across concurrent pulls.
 */
public interface LayerSink {

    /** True when the layer stack up to and including {@code layer} already exists locally (see {@link LayerInfo#chainId()}); the layer is then neither downloaded nor applied. */
    boolean hasLayer(LayerInfo layer);

    /**
     * Unpacks one layer. {@code uncompressed} is the layer tar, decompressed and checked against
     * the diff id as it is read (an {@link IOException} at end of stream on mismatch): read it to
     * the end before committing anything. {@code compressedBlob} is the verified blob as
     * downloaded; it is deleted after this method returns, so copy or link it to keep it (e.g.
     * into a content store for later pushes).
     */
    void applyLayer(LayerInfo layer, Path compressedBlob, InputStream uncompressed) throws IOException;
}
