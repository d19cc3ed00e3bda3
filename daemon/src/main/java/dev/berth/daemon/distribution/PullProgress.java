package dev.berth.daemon.distribution;

import dev.berth.common.Digest;
import dev.berth.distribution.DockerProgress;
import dev.berth.distribution.LayerInfo;
import dev.berth.distribution.PullListener;

/**
 * Pull progress as dockerd orders it: "Pulling from …" is written only once the manifest is
 * resolved (the first layer event), so that failures to reach the registry or find the manifest
 * happen before anything was streamed and become an HTTP error ("Error response from daemon: …"),
 * as with dockerd. When every layer already exists, the "Already exists" lines and the digest are
 * held too: dockerd prints neither layer lines for an image it already has ({@link #finish}).
 * Thread-safe (held lines are written under a lock, before any later line).
 */
final class PullProgress implements PullListener {
    private final DockerProgress out;
    private String heldPath;
    private String heldTag;
    private final java.util.List<LayerInfo> existing = new java.util.ArrayList<>();
    private boolean anyPending;
    private Digest heldDigest;

    PullProgress(DockerProgress out) {
        this.out = out;
    }

    @Override
    public synchronized void pullingFrom(String repositoryPath, String tagOrDigest) {
        heldPath = repositoryPath;
        heldTag = tagOrDigest;
    }

    /** Writes the held "Pulling from" line, once. */
    private synchronized void release() {
        if (heldPath != null) {
            out.pullingFrom(heldPath, heldTag);
            heldPath = null;
        }
    }

    @Override
    public void layerPending(LayerInfo layer) {
        synchronized (this) {
            release();
            if (!anyPending) {
                anyPending = true;
                existing.forEach(out::layerExists);
                existing.clear();
            }
        }
        out.layerPending(layer);
    }

    @Override
    public synchronized void layerExists(LayerInfo layer) {
        release();
        if (anyPending) {
            out.layerExists(layer);
        } else {
            existing.add(layer);
        }
    }

    @Override
    public void layerWaiting(LayerInfo layer) {
        release();
        out.layerWaiting(layer);
    }

    @Override
    public void layerDownloading(LayerInfo layer, long current, long total) {
        release();
        out.layerDownloading(layer, current, total);
    }

    @Override
    public void layerVerifying(LayerInfo layer) {
        out.layerVerifying(layer);
    }

    @Override
    public void layerDownloaded(LayerInfo layer) {
        out.layerDownloaded(layer);
    }

    @Override
    public void layerExtracting(LayerInfo layer, long current, long total) {
        out.layerExtracting(layer, current, total);
    }

    @Override
    public void layerComplete(LayerInfo layer) {
        out.layerComplete(layer);
    }

    @Override
    public synchronized void digest(Digest digest) {
        release();
        if (anyPending) {
            out.digest(digest);
        } else {
            heldDigest = digest;
        }
    }

    /**
     * Ends a successful pull: writes what was held, without the "Already exists" lines when the
     * image was already in the store before this pull ({@code hadImage}).
     */
    synchronized void finish(boolean hadImage) {
        release();
        if (!hadImage) {
            existing.forEach(out::layerExists);
        }
        existing.clear();
        if (heldDigest != null) {
            out.digest(heldDigest);
            heldDigest = null;
        }
    }
}
