package dev.berth.image;

import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import dev.berth.common.Json;
import dev.berth.store.AtomicFiles;
import dev.berth.store.ContentStore;
import dev.berth.store.OverlaySnapshotter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Image layers: one record per chain id in {@code <root>/image/layers/<hex>.json}, the unpacked
 * content as the committed snapshot named by the chain id, and the uncompressed layer tar as a blob
 * named by its diff id (so {@code save} writes the original bytes and round-trips digests). Order of
 * writes on apply: blob, snapshot commit, record — a crash leaves only unreferenced pieces, which
 * {@link #sweep} and the service's prune remove. Thread-safe.
 */
final class LayerStore {
    /** One layer. {@code size} is the sum of its regular files. */
    record Layer(String chainId, String diffId, String parent, long size) {}

    private final Path dir;
    private final OverlaySnapshotter snapshots;
    private final ContentStore content;
    private final TarExtractor extractor;

    LayerStore(Path dir, OverlaySnapshotter snapshots, ContentStore content, TarExtractor extractor) {
        this.dir = dir;
        this.snapshots = snapshots;
        this.content = content;
        this.extractor = extractor;
        try {
            Files.createDirectories(dir);
            AtomicFiles.sweepTemps(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String chainId(String parentChain, String diffId) {
        if (parentChain == null) {
            return diffId;
        }
        return Digest.sha256((parentChain + " " + diffId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Chain ids of a diff id list, bottom first. */
    static List<String> chainIds(List<String> diffIds) {
        List<String> out = new ArrayList<>();
        String parent = null;
        for (String d : diffIds) {
            parent = chainId(parent, d);
            out.add(parent);
        }
        return out;
    }

    Optional<Layer> get(String chainId) {
        Path f = file(chainId);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readValue(Files.readAllBytes(f), Layer.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Layer> list() {
        List<Layer> out = new ArrayList<>();
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(".json") && !n.startsWith(AtomicFiles.TMP_PREFIX)) {
                    out.add(Json.mapper().readValue(Files.readAllBytes(p), Layer.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Unpacks a layer tar (any supported compression) over {@code parentChain} (null for the base
     * layer). {@code expectedDiffId} (nullable) is checked against the uncompressed digest. Returns
     * the existing layer when the same chain is already present. On failure nothing is left behind.
     */
    Layer apply(InputStream layerTar, String parentChain, String expectedDiffId) throws IOException {
        try (Unpacked u = unpack(layerTar, expectedDiffId)) {
            return commit(u, parentChain);
        }
    }

    /**
     * A layer unpacked into a parentless staging snapshot ({@code extract-*}) with its tar written
     * and verified in the content store's ingest, but nothing visible yet: {@link #commit} stacks
     * and publishes it, {@link #close} discards it. Why staged: a pull unpacks its layers
     * concurrently as they download, in any order, but a layer may only appear once the layers
     * below it exist. Belongs to one caller; not thread-safe.
     */
    final class Unpacked implements AutoCloseable {
        private final String key;
        private final ContentStore.Writer blob;
        private final Digest diffId;
        private final long size;
        private boolean done;

        private Unpacked(String key, ContentStore.Writer blob, Digest diffId, long size) {
            this.key = key;
            this.blob = blob;
            this.diffId = diffId;
            this.size = size;
        }

        Digest diffId() {
            return diffId;
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                discard(key, blob);
            }
        }
    }

    /**
     * The first half of {@link #apply}: may run concurrently with other unpacks and commits.
     * Reads {@code layerTar} to its end; on failure (including a diff id mismatch,
     * INVALID_ARGUMENT) nothing is left behind.
     */
    Unpacked unpack(InputStream layerTar, String expectedDiffId) throws IOException {
        String key = "extract-" + UUID.randomUUID();
        snapshots.prepare(key, null);
        ContentStore.Writer blob = null;
        try {
            blob = content.writer();
            InputStream tee = new Tee(Decompressor.open(layerTar), blob);
            TarExtractor.Result r = extractor.extract(tee, snapshots.upperDir(key), TarExtractor.Options.LAYER);
            tee.transferTo(OutputStream.nullOutputStream()); // tar padding belongs to the diff id too
            Digest diff;
            try {
                diff = blob.verify(-1, expectedDiffId == null ? null : Digest.parse(expectedDiffId));
            } catch (BerthException e) {
                throw BerthException.invalid("layer content does not match its diff id %s: %s", expectedDiffId, e.getMessage());
            }
            return new Unpacked(key, blob, diff, r.size());
        } catch (IOException | RuntimeException | Error e) {
            discard(key, blob);
            throw e;
        }
    }

    /**
     * Publishes an unpacked layer over {@code parentChain} (null for the base layer; it must
     * exist): blob, snapshot commit, record. Returns the existing layer (discarding {@code u})
     * when the chain is already present.
     */
    Layer commit(Unpacked u, String parentChain) throws IOException {
        if (u.done) {
            throw new IllegalStateException("layer already committed or discarded");
        }
        String chain = chainId(parentChain, u.diffId.toString());
        synchronized (this) {
            Optional<Layer> existing = get(chain);
            if (existing.isPresent() && snapshots.stat(chain).isPresent()) {
                u.close();
                return existing.get();
            }
            if (snapshots.stat(chain).isPresent()) {
                snapshots.remove(chain); // a committed leftover without record (crash): replace it
            }
            u.blob.publish();
            snapshots.commit(chain, u.key, parentChain);
            u.done = true;
            Layer layer = new Layer(chain, u.diffId.toString(), parentChain, u.size);
            AtomicFiles.write(file(chain), Json.mapper().writeValueAsBytes(layer));
            return layer;
        }
    }

    /** Drops a staging snapshot and its unpublished blob; runs even in an interrupted thread. */
    private void discard(String key, ContentStore.Writer blob) {
        // A cancelled pull interrupts its unpacking threads; clean-up must still reach the disk
        // (interruptible channels would refuse), so the flag is set aside meanwhile.
        boolean interrupted = Thread.interrupted();
        try {
            if (blob != null) {
                blob.close();
            }
        } catch (IOException | RuntimeException ignored) {
            // an ingest leftover is swept when the store opens
        }
        try {
            snapshots.remove(key);
        } catch (RuntimeException ignored) {
            // Already gone; the next start sweeps whatever is left.
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Deletes a layer's record, snapshot and (if no other layer shares the diff id) blob. Returns
     * false, changing nothing, when the snapshot still has children (a container or another layer).
     */
    synchronized boolean delete(Layer layer) {
        if (snapshots.stat(layer.chainId()).isPresent()) {
            if (snapshots.hasChildren(layer.chainId())) {
                return false;
            }
        }
        try {
            Files.deleteIfExists(file(layer.chainId()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (snapshots.stat(layer.chainId()).isPresent()) {
            snapshots.remove(layer.chainId());
        }
        boolean shared = list().stream().anyMatch(l -> l.diffId().equals(layer.diffId()));
        if (!shared) {
            content.delete(Digest.parse(layer.diffId()));
        }
        return true;
    }

    /** Drops records whose snapshot or blob is gone (e.g. a crash mid-delete). */
    synchronized void sweep() {
        for (Layer l : list()) {
            if (snapshots.stat(l.chainId()).isEmpty() || !content.exists(Digest.parse(l.diffId()))) {
                try {
                    Files.deleteIfExists(file(l.chainId()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** The uncompressed layer tar. */
    Path blob(Layer l) {
        return content.path(Digest.parse(l.diffId()));
    }

    private Path file(String chainId) {
        return dir.resolve(Digest.parse(chainId).hex() + ".json");
    }

    /** Copies every byte read into a sink (the layer blob writer). */
    private static final class Tee extends FilterInputStream {
        private final OutputStream sink;

        Tee(InputStream in, OutputStream sink) {
            super(in);
            this.sink = sink;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                sink.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                sink.write(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
