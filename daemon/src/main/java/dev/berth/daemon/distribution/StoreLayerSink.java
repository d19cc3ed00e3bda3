package dev.berth.daemon.distribution;

import dev.berth.common.Digest;
import dev.berth.distribution.LayerInfo;
import dev.berth.distribution.LayerSink;
import dev.berth.image.PulledImages;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The image store as a pull's {@link LayerSink}: layers go through one {@link PulledImages.Session},
 * unpacked concurrently into staging snapshots and committed bottom first. The store checks each
 * layer tar against its diff id while keeping it (it hashes it anyway), so the puller need not.
 * Used by one pull; {@link #unpack} is called from several threads at once, which the session allows.
 *
 * <p>Resuming after a crash needs nothing here: the fetcher keeps every verified blob in the
 * ingest directory until the pull is over, so a daemon killed mid-pull finds them at the next pull.
 */
final class StoreLayerSink implements LayerSink {
    private final PulledImages.Session session;

    StoreLayerSink(PulledImages.Session session) {
        this.session = session;
    }

    @Override
    public boolean hasLayer(LayerInfo layer) {
        return session.hasLayer(layer.chainId().toString());
    }

    @Override
    public boolean verifiesDiffIds() {
        return true;
    }

    @Override
    public Staged unpack(LayerInfo layer, InputStream uncompressed) throws IOException {
        PulledImages.StagedLayer staged = session.unpackLayer(layer.diffId().toString(), uncompressed);
        String parent = parentChain(layer.diffIds());
        return new Staged() {
            @Override
            public void commit() throws IOException {
                session.commitLayer(staged, parent);
            }

            @Override
            public void close() {
                staged.close();
            }
        };
    }

    /** The chain id of the layers below the last of {@code ids} (null for a base layer). */
    private static String parentChain(List<Digest> ids) {
        String parent = null;
        for (int i = 0; i < ids.size() - 1; i++) {
            parent = PulledImages.chainId(parent, ids.get(i).toString());
        }
        return parent;
    }
}
