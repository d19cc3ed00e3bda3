package dev.berth.image;

import dev.berth.oci.ref.Reference;

import dev.berth.common.BerthException;
import dev.berth.common.Ids;
import dev.berth.oci.Mount;
import dev.berth.oci.image.ImageConfig;
import dev.berth.store.AtomicFiles;
import dev.berth.store.ContentStore;
import dev.berth.store.OverlaySnapshotter;
import dev.berth.sys.fs.FileOps;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The local {@link ImageService}. Layout under the data root: {@code image/content} (config and
 * uncompressed layer blobs), {@code image/images} (image markers), {@code image/layers} (layer
 * records by chain id), {@code image/repositories.json} (references), {@code image/tmp} (load
 * scratch), {@code snapshots/} (overlay snapshots; containers use key {@code ctr-<id>}).
 *
 * <p>Concurrency: operations that create layers or hand them to containers hold the read side of
 * one lock for their duration; deletion and layer garbage collection hold the write side, so a
 * layer is never collected between being unpacked and being referenced. On start-up, leftovers of
 * a crash (temp files, unreferenced layers and snapshots) are removed. Thread-safe.
 */
public final class LocalImageService implements ImageService {
    static final String CONTAINER_PREFIX = "ctr-";
    private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

    final ContentStore content;
    final OverlaySnapshotter snapshots;
    final LayerStore layers;
    final ImageStore images;
    final ReferenceStore refs;
    final TarExtractor extractor;
    final Path tmp;
    final ReentrantReadWriteLock gc = new ReentrantReadWriteLock();
    private final ImageTransfer transfer;
    private final ImageDeleter deleter;
    final FileOps fileOps;
    private final ImageCommits commits;

    public LocalImageService(Path dataRoot) {
        this(dataRoot, FileOps.linux());
    }

    public LocalImageService(Path dataRoot, FileOps fileOps) {
        Path root = dataRoot.resolve("image");
        this.fileOps = fileOps;
        this.content = new ContentStore(root);
        this.snapshots = new OverlaySnapshotter(dataRoot.resolve("snapshots"));
        this.extractor = new TarExtractor(fileOps);
        this.layers = new LayerStore(root.resolve("layers"), snapshots, content, extractor);
        this.images = new ImageStore(root.resolve("images"), content);
        this.refs = new ReferenceStore(root.resolve("repositories.json"));
        this.tmp = root.resolve("tmp");
        try {
            AtomicFiles.deleteTree(tmp);
            Files.createDirectories(tmp);
            AtomicFiles.sweepTemps(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.transfer = new ImageTransfer(this);
        this.deleter = new ImageDeleter(this);
        this.commits = new ImageCommits(this);
        recover();
    }

    /** Makes the store consistent after a crash: drop dangling records, then collect garbage. */
    private void recover() {
        images.sweep();
        layers.sweep();
        refs.retainImages(images::exists);
        for (var s : snapshots.list()) {
            if (s.key().startsWith("extract-")) {
                snapshots.remove(s.key()); // an unpack that never finished
            }
        }
        pruneLayers();
    }

    // ---- lookup ----

    @Override
    public Optional<LocalImage> find(String nameOrId) {
        return resolveId(nameOrId).map(this::view);
    }

    @Override
    public LocalImage get(String nameOrId) {
        return find(nameOrId).orElseThrow(() -> BerthException.notFound("No such image: %s", nameOrId));
    }

    @Override
    public List<LocalImage> list() {
        List<LocalImage> out = new ArrayList<>();
        for (String id : images.ids()) {
            try {
                out.add(view(id));
            } catch (BerthException e) {
                // Deleted concurrently.
            }
        }
        return out;
    }

    /** Resolves as Docker does: id, {@code sha256:}id, reference, then unique id prefix. */
    Optional<String> resolveId(String s) {
        if (s == null || s.isEmpty()) {
            return Optional.empty();
        }
        String hex = s.startsWith("sha256:") ? s.substring(7) : null;
        if (hex == null && Ids.isFullId(s)) {
            hex = s;
        }
        if (hex != null) {
            if (Ids.isFullId(hex)) {
                String id = "sha256:" + hex;
                return images.exists(id) ? Optional.of(id) : Optional.empty();
            }
            return HEX.matcher(hex).matches() ? prefix(hex) : Optional.empty();
        }
        try {
            Reference ref = Reference.parse(s).withDefaultTag();
            String id = refs.get(ref);
            if (id != null && images.exists(id)) {
                return Optional.of(id);
            }
        } catch (BerthException e) {
            // Not a reference; may still be an id prefix.
        }
        return HEX.matcher(s).matches() ? prefix(s) : Optional.empty();
    }

    private Optional<String> prefix(String hex) {
        String found = null;
        for (String id : images.ids()) {
            if (id.startsWith("sha256:" + hex)) {
                if (found != null) {
                    return Optional.empty(); // ambiguous
                }
                found = id;
            }
        }
        return Optional.ofNullable(found);
    }

    LocalImage view(String id) {
        ImageConfig c = images.config(id);
        return ImageViews.toLocalImage(id, c, refs.referencesTo(id), images.meta(id).parent(), size(c));
    }

    private long size(ImageConfig c) {
        long total = 0;
        for (String chain : chains(c)) {
            total += layers.get(chain).map(LayerStore.Layer::size).orElse(0L);
        }
        return total;
    }

    static List<String> chains(ImageConfig c) {
        return c.rootfs() == null || c.rootfs().diffIds() == null ? List.of() : LayerStore.chainIds(c.rootfs().diffIds());
    }

    // ---- references ----

    @Override
    public void tag(String nameOrId, String reference) {
        String id = resolveId(nameOrId).orElseThrow(() -> BerthException.notFound("No such image: %s", nameOrId));
        Reference ref = Reference.parse(reference);
        if (ref.digest() != null) {
            throw BerthException.invalid("refusing to create a tag with a digest reference");
        }
        refs.put(ref.withDefaultTag(), id);
    }

    // ---- delete ----

    @Override
    public List<DeleteItem> remove(String nameOrId, boolean force, boolean noPrune, Predicate<String> inUse) {
        return removeImage(nameOrId, force, noPrune,
                id -> inUse.test(id) ? List.of(new ContainerUse("", false)) : List.of());
    }

    @Override
    public List<DeleteItem> removeImage(String nameOrId, boolean force, boolean noPrune, Function<String, List<ContainerUse>> users) {
        gc.writeLock().lock();
        try {
            return deleter.delete(nameOrId, force, !noPrune, users);
        } finally {
            gc.writeLock().unlock();
        }
    }

    /** Removes layers no image references and no snapshot builds on; returns their chain ids. */
    List<String> pruneLayers() {
        gc.writeLock().lock();
        try {
            Set<String> used = new HashSet<>();
            for (String id : images.ids()) {
                used.addAll(chains(images.config(id)));
            }
            List<String> removed = new ArrayList<>();
            boolean progress = true;
            while (progress) {
                progress = false;
                for (LayerStore.Layer l : layers.list()) {
                    if (!used.contains(l.chainId()) && layers.delete(l)) {
                        removed.add(l.chainId());
                        progress = true;
                    }
                }
            }
            // Committed snapshots without a layer record are crash leftovers.
            for (var s : snapshots.list()) {
                if (s.kind() == dev.berth.store.SnapshotInfo.Kind.COMMITTED && layers.get(s.key()).isEmpty()
                        && !snapshots.hasChildren(s.key())) {
                    snapshots.remove(s.key());
                }
            }
            return removed;
        } finally {
            gc.writeLock().unlock();
        }
    }

    // ---- transfer ----

    @Override
    public LocalImage importRootfs(InputStream tar, String reference, List<String> changes, String message, String platform) {
        return transfer.importRootfs(tar, reference, changes, message, platform);
    }

    @Override
    public List<String> load(InputStream archive, Consumer<String> progress) {
        return transfer.load(archive, progress);
    }

    @Override
    public void save(List<String> namesOrIds, OutputStream out) {
        transfer.save(namesOrIds, out);
    }

    @Override
    public List<HistoryEntry> history(String nameOrId) {
        String id = resolveId(nameOrId).orElseThrow(() -> BerthException.notFound("No such image: %s", nameOrId));
        ImageConfig c = images.config(id);
        List<Long> sizes = chains(c).stream().map(ch -> layers.get(ch).map(LayerStore.Layer::size).orElse(0L)).toList();
        List<HistoryEntry> out = new ArrayList<>(ImageViews.history(id, c, view(id).repoTags(), sizes));
        // As Docker: entries that are the top of a local parent image (build steps) show its id and tags.
        Set<String> seen = new HashSet<>();
        String parent = images.meta(id).parent();
        while (parent != null && !parent.isEmpty() && seen.add(parent) && images.exists(parent)) {
            ImageConfig pc = images.config(parent);
            int n = pc.history() == null ? 0 : pc.history().size();
            int at = out.size() - n;
            if (n == 0 || at < 0 || at >= out.size()) {
                break;
            }
            HistoryEntry e = out.get(at);
            out.set(at, new HistoryEntry(parent, e.created(), e.createdBy(), view(parent).repoTags(), e.size(), e.comment(),
                    e.emptyLayer()));
            parent = images.meta(parent).parent();
        }
        return out;
    }

    // ---- container layers ----

    @Override
    public List<Mount> prepareContainerLayer(String containerId, String imageId) {
        gc.readLock().lock();
        try {
            String id = resolveId(imageId).orElseThrow(() -> BerthException.notFound("No such image: %s", imageId));
            List<String> chain = chains(images.config(id));
            return snapshots.prepare(CONTAINER_PREFIX + containerId, chain.isEmpty() ? null : chain.getLast());
        } finally {
            gc.readLock().unlock();
        }
    }

    @Override
    public List<Mount> containerLayerMounts(String containerId) {
        return snapshots.mounts(CONTAINER_PREFIX + containerId);
    }

    @Override
    public void removeContainerLayer(String containerId) {
        String key = CONTAINER_PREFIX + containerId;
        if (snapshots.stat(key).isEmpty()) {
            return;
        }
        snapshots.remove(key);
        pruneLayers(); // layers of an image deleted while this container held them
    }

    @Override
    public Path containerLayerUpperDir(String containerId) {
        return snapshots.upperDir(CONTAINER_PREFIX + containerId);
    }

    @Override
    public long containerLayerSize(String containerId) {
        return snapshots.usage(CONTAINER_PREFIX + containerId);
    }

    // ---- commit, diff, builder support ----

    @Override
    public LocalImage createImage(CommitSpec spec, InputStream layerTar, String reference) {
        return commits.createImage(spec, layerTar, reference);
    }

    @Override
    public LocalImage commit(String containerId, CommitSpec spec, String reference) {
        return commits.commit(containerId, spec, reference);
    }

    @Override
    public List<Change> changes(String containerId) {
        return commits.changes(containerId);
    }

    @Override
    public ImageTree imageTree(String imageId) {
        return commits.tree(imageId);
    }

    @Override
    public ImageConfig imageConfig(String nameOrId) {
        String id = resolveId(nameOrId).orElseThrow(() -> BerthException.notFound("No such image: %s", nameOrId));
        return images.config(id);
    }
}
