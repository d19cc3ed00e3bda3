package dev.berth.daemon.distribution;

import dev.berth.common.Digest;
import dev.berth.distribution.LayerInfo;
import dev.berth.distribution.LayerSink;
import dev.berth.image.PulledImages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The image store as a pull's {@link LayerSink}: layers go through one {@link PulledImages.Session}.
 *
 * <p>Each applied layer's verified compressed blob is also kept, hard-linked as the fetcher's
 * complete {@code .partial} file in the ingest directory, until the pull finishes. Why: a daemon
 * killed mid-pull loses the unpacked layers (nothing references them, so start-up collects them),
 * but the next pull then finds the whole blob in ingest, verifies it and does not download it
 * again. {@link #forgetKept()} drops the links once the image is stored. Used by one pull
 * (one thread); not shared.
 */
final class StoreLayerSink implements LayerSink {
    private final PulledImages.Session session;
    private final Path ingestDir;
    private final List<Path> kept = new ArrayList<>();

    StoreLayerSink(PulledImages.Session session, Path ingestDir) {
        this.session = session;
        this.ingestDir = ingestDir;
    }

    @Override
    public boolean hasLayer(LayerInfo layer) {
        return session.hasLayer(layer.chainId().toString());
    }

    @Override
    public void applyLayer(LayerInfo layer, Path compressedBlob, InputStream uncompressed) throws IOException {
        List<Digest> ids = layer.diffIds();
        String parent = null;
        for (int i = 0; i < ids.size() - 1; i++) {
            parent = PulledImages.chainId(parent, ids.get(i).toString());
        }
        session.applyLayer(parent, layer.diffId().toString(), uncompressed);
        keep(layer.blobDigest(), compressedBlob);
    }

    private void keep(Digest digest, Path blob) {
        Path partial = ingestDir.resolve(digest.algorithm() + "-" + digest.hex() + ".partial");
        try {
            Files.createLink(partial, blob);
            kept.add(partial);
        } catch (FileAlreadyExistsException e) {
            kept.add(partial);
        } catch (IOException | UnsupportedOperationException e) {
            // Only an optimisation for an interrupted pull; the layer itself is stored.
        }
    }

    /** Deletes the kept blobs (the pull completed; its layers are referenced now). */
    void forgetKept() {
        for (Path p : kept) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover in ingest is harmless: the next pull of that blob uses it
            }
        }
        kept.clear();
    }
}
