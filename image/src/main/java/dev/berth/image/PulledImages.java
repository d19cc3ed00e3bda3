package dev.berth.image;

import dev.berth.oci.ref.Reference;

import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import dev.berth.oci.image.ImageConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The image store as registry transfers see it: per-layer access for pulls (does a layer chain
 * exist, unpack one verified layer tar, add an image from its config bytes) and for pushes (the
 * config bytes and the uncompressed layer tars of an image). It knows nothing of registries; the
 * daemon adapts it to the distribution module's {@code LayerSink}/{@code LayerSource}.
 *
 * <p>Lifecycle: a pull runs inside one {@link #beginPull() session}, which holds the read side of
 * the store's garbage-collection lock so that layers unpacked but not yet referenced by an image
 * are not collected by a concurrent {@code rmi}. A session that {@link Session#close() closes}
 * without {@link Session#addImage} having succeeded collects what it unpacked, so a failed pull
 * leaves the store as it was (no layer, no snapshot, no blob, no reference). Thread-safe; a
 * session belongs to the thread that began it (the lock is per-thread).
 */
public final class PulledImages {
    private final LocalImageService svc;

    public PulledImages(LocalImageService svc) {
        this.svc = svc;
    }

    /** The chain id of a diff id stack: {@code sha256(parentChain + " " + diffId)}, the diff id itself for a base layer. */
    public static String chainId(String parentChainId, String diffId) {
        return LayerStore.chainId(parentChainId, diffId);
    }

    /** Starts a pull; close it in the same thread (try-with-resources). */
    public Session beginPull() {
        svc.gc.readLock().lock();
        return new Session();
    }

    /** One pull's view of the store. Not shared between threads. */
    public final class Session implements AutoCloseable {
        private boolean committed;
        private boolean applied;
        private boolean closed;

        private Session() {}

        /** True when the layer stack {@code chainId} is complete locally (record and snapshot). */
        public boolean hasLayer(String chainId) {
            return svc.layers.get(chainId).isPresent() && svc.snapshots.stat(chainId).isPresent();
        }

        /** True when the image {@code id} ({@code sha256:…}, the config digest) is in the store. */
        public boolean hasImage(String id) {
            return svc.images.exists(id);
        }

        /**
         * Unpacks one uncompressed layer tar over {@code parentChainId} (null for the base layer),
         * keeping the tar as a blob by its diff id. The stream's digest must be {@code diffId};
         * on mismatch nothing is kept and INVALID_ARGUMENT is thrown. Returns the new chain id.
         */
        public String applyLayer(String parentChainId, String diffId, InputStream uncompressedTar) throws IOException {
            synchronized (this) {
                applied = true;
            }
            return svc.layers.apply(uncompressedTar, parentChainId, diffId).chainId();
        }

        /**
         * The first half of {@link #applyLayer}, for pulls that unpack layers concurrently as they
         * arrive: unpacks an uncompressed layer tar into a staging area, checking it against
         * {@code diffId} (INVALID_ARGUMENT on mismatch, nothing kept). Nothing is visible until
         * {@link #commitLayer}; close the result to discard it. May be called from any thread, in
         * any order, several at once; every staged layer must be committed or closed before the
         * session closes.
         */
        public StagedLayer unpackLayer(String diffId, InputStream uncompressedTar) throws IOException {
            synchronized (this) {
                applied = true;
            }
            return new StagedLayer(svc.layers.unpack(uncompressedTar, diffId));
        }

        /**
         * Stacks a staged layer over {@code parentChainId} (null for the base layer; it must
         * exist) and makes it visible. Returns the new chain id. Call bottom layer first.
         */
        public String commitLayer(StagedLayer layer, String parentChainId) throws IOException {
            return svc.layers.commit(layer.unpacked, parentChainId).chainId();
        }

        /**
         * Adds the image of {@code config} (its layers must all exist), then points the references
         * at it: {@code tag} (e.g. {@code host:5000/bb:1}, nullable) and {@code digestRef}
         * (e.g. {@code host:5000/bb@sha256:…}, nullable). Returns the image and whether a
         * the pulled reference ({@code tag}, else {@code digestRef}) changed (dockerd's "Downloaded
         * newer image" versus "Image is up to date").
         */
        public Added addImage(byte[] config, String tag, String digestRef) {
            ImageConfig c = ImageStore.parse(config);
            for (String chain : LocalImageService.chains(c)) {
                if (!hasLayer(chain)) {
                    throw BerthException.invalid("layer %s of the pulled image is missing", chain);
                }
            }
            String id = svc.images.add(config, null);
            // As dockerd: "newer" when the reference that was pulled (the tag, else the digest) changed.
            boolean changed = false;
            boolean primary = true;
            for (String r : new String[] {tag, digestRef}) {
                if (r != null) {
                    Reference ref = Reference.parse(r);
                    String old = svc.refs.put(ref.digest() != null ? ref : ref.withDefaultTag(), id);
                    if (primary) {
                        changed = !id.equals(old);
                        primary = false;
                    }
                }
            }
            committed = true;
            return new Added(svc.view(id), changed);
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            svc.gc.readLock().unlock();
            boolean unpacked;
            synchronized (this) {
                unpacked = applied;
            }
            if (!committed && unpacked) {
                svc.pruneLayers(); // what this failed pull unpacked is referenced by nothing
            }
        }
    }

    /** A layer unpacked by {@link Session#unpackLayer} and not yet committed; close discards it (no-op once committed). */
    public static final class StagedLayer implements AutoCloseable {
        private final LayerStore.Unpacked unpacked;

        private StagedLayer(LayerStore.Unpacked unpacked) {
            this.unpacked = unpacked;
        }

        /** The verified diff id. */
        public Digest diffId() {
            return unpacked.diffId();
        }

        @Override
        public void close() {
            unpacked.close();
        }
    }

    /** An image added by a pull; {@code changed}: a reference now names it that did not before. */
    public record Added(LocalImage image, boolean changed) {}

    // ---- push ----

    /** What a push uploads of one image: its config bytes and its layers bottom first. */
    public record PushImage(String id, byte[] config, List<PushLayer> layers) {}

    /** One layer: its diff id and the file holding its uncompressed tar (read it while the image exists). */
    public record PushLayer(String diffId, Path tar) {
        public InputStream open() throws IOException {
            return Files.newInputStream(tar);
        }
    }

    /** The image named {@code nameOrId} for a push; NOT_FOUND "No such image: x" when absent. */
    public PushImage forPush(String nameOrId) {
        String id = svc.resolveId(nameOrId).orElseThrow(() -> BerthException.notFound("No such image: %s", nameOrId));
        ImageConfig c = svc.images.config(id);
        List<PushLayer> out = new ArrayList<>();
        for (String chain : LocalImageService.chains(c)) {
            LayerStore.Layer l = svc.layers.get(chain)
                    .orElseThrow(() -> BerthException.notFound("layer %s of image %s is missing", chain, id));
            out.add(new PushLayer(l.diffId(), svc.layers.blob(l)));
        }
        return new PushImage(id, svc.images.configBytes(id), out);
    }

    /** The image id a reference (tag or digest, normalized) points at, if any. */
    public Optional<String> idOf(String reference) {
        return svc.resolveId(reference);
    }

    /** All tag references (normalized, e.g. {@code host:5000/bb:1}) of repository {@code name}, for {@code push --all-tags}. */
    public List<String> tagsOf(String name) {
        Reference r = Reference.parse(name);
        return svc.refs.referencesByName(r.name()).stream().filter(x -> x.tag() != null).map(Reference::toString).toList();
    }

    /** The diff ids of every local layer (e.g. to drop caches of layers that are gone). */
    public java.util.Set<String> diffIds() {
        java.util.Set<String> out = new java.util.HashSet<>();
        svc.layers.list().forEach(l -> out.add(l.diffId()));
        return out;
    }

    /** Records {@code name@digest} for the image (after a push, as dockerd does). */
    public void addDigestReference(String imageId, String name, Digest digest) {
        Reference r = Reference.parse(name);
        svc.refs.put(Reference.parse(r.name() + "@" + digest), imageId);
    }
}
