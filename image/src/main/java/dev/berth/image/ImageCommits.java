package dev.berth.image;

import dev.berth.oci.ref.Reference;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import dev.berth.oci.Mount;
import dev.berth.oci.image.ImageConfig;
import dev.berth.store.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * New images from existing ones: {@code docker commit} (container upper dir → layer tar → new
 * layer), builder steps (a layer tar or no layer on a parent) and {@code docker diff}. The
 * produced tar is kept as the layer blob (by diff id) and unpacked into a fresh snapshot on the
 * parent's chain, exactly as a pulled layer, so committed images save and push like any other.
 * Runs under the read side of the service's lock; a failure leaves no image behind
 * (unreferenced layers are collected). Thread-safe.
 */
final class ImageCommits {
    private final LocalImageService svc;
    private final LayerTarWriter writer;

    ImageCommits(LocalImageService svc) {
        this.svc = svc;
        this.writer = new LayerTarWriter(svc.fileOps);
    }

    LocalImage commit(String containerId, ImageService.CommitSpec spec, String reference) {
        Path upper = svc.containerLayerUpperDir(containerId);
        ImageTree lower = lowerTree(containerId);
        Path tar = svc.tmp.resolve(AtomicFiles.TMP_PREFIX + "commit-" + UUID.randomUUID());
        try {
            try (OutputStream out = Files.newOutputStream(tar)) {
                writer.write(upper, out, (p, a) -> runtimeMount(upper, p, a, lower));
            }
            try (InputStream in = Files.newInputStream(tar)) {
                return createImage(spec, in, reference);
            }
        } catch (IOException e) {
            throw BerthException.internal("commit of container " + containerId + " failed: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tar);
            } catch (IOException ignored) {
                // swept at next start
            }
        }
    }

    LocalImage createImage(ImageService.CommitSpec spec, InputStream layerTar, String reference) {
        Reference ref = null;
        if (reference != null && !reference.isEmpty()) {
            ref = Reference.parse(reference);
            if (ref.digest() != null) {
                throw BerthException.invalid("refusing to create a tag with a digest reference");
            }
            ref = ref.withDefaultTag();
        }
        boolean ok = false;
        svc.gc.readLock().lock();
        try {
            String parentId = null;
            ImageConfig parent = null;
            if (spec.parentImageId() != null && !spec.parentImageId().isEmpty()) {
                parentId = svc.resolveId(spec.parentImageId())
                        .orElseThrow(() -> BerthException.notFound("No such image: %s", spec.parentImageId()));
                parent = svc.images.config(parentId);
            }
            List<String> diffIds = new ArrayList<>(parent == null || parent.rootfs() == null
                    || parent.rootfs().diffIds() == null ? List.of() : parent.rootfs().diffIds());
            List<ImageConfig.History> history = new ArrayList<>(parent == null || parent.history() == null
                    ? List.of() : parent.history());
            String created = Instant.now().toString();
            if (layerTar != null) {
                List<String> chains = LayerStore.chainIds(diffIds);
                LayerStore.Layer layer = svc.layers.apply(layerTar, chains.isEmpty() ? null : chains.getLast(), null);
                diffIds.add(layer.diffId());
            }
            history.add(new ImageConfig.History(created, spec.createdBy(), spec.author(), spec.comment(),
                    layerTar == null ? Boolean.TRUE : null));
            ImageConfig config = new ImageConfig(created, spec.author(),
                    parent == null ? ImageTransfer.hostArch() : parent.architecture(),
                    parent == null ? null : parent.variant(), parent == null ? "linux" : parent.os(),
                    parent == null ? null : parent.osVersion(), spec.comment(), null, null, spec.config(),
                    new ImageConfig.RootFs("layers", List.copyOf(diffIds)), List.copyOf(history));
            String id = svc.images.add(Json.mapper().writeValueAsBytes(config), parentId);
            if (ref != null) {
                svc.refs.put(ref, id);
            }
            ok = true;
            return svc.view(id);
        } catch (IOException e) {
            throw BerthException.invalid("creating the layer failed: %s", e.getMessage());
        } finally {
            svc.gc.readLock().unlock();
            if (!ok) {
                svc.pruneLayers();
            }
        }
    }

    private static boolean runtimeMount(Path upper, String path, LayerTarWriter.Attrs a, ImageTree lower) {
        return RuntimeMounts.skip(upper, path, a, lower) || RuntimeMounts.copiedUpForMounts(upper, path, a, lower);
    }

    List<ImageService.Change> changes(String containerId) {
        Path upper = svc.containerLayerUpperDir(containerId);
        ImageTree lower = lowerTree(containerId);
        try {
            return LayerChanges.compute(upper, lower, writer::isWhiteout, (p, a) -> runtimeMount(upper, p, a, lower));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The merged image below a container's writable layer (from its overlay lowerdir list). */
    private ImageTree lowerTree(String containerId) {
        List<Path> lowers = new ArrayList<>();
        for (Mount m : svc.containerLayerMounts(containerId)) {
            for (String o : m.options() == null ? List.<String>of() : m.options()) {
                if (o.startsWith("lowerdir=")) {
                    for (String d : o.substring("lowerdir=".length()).split(":")) {
                        lowers.add(Path.of(d));
                    }
                }
            }
        }
        return new ImageTree(lowers, svc.fileOps);
    }

    ImageTree tree(String imageId) {
        if (imageId == null || imageId.isEmpty()) {
            return new ImageTree(List.of(), svc.fileOps);
        }
        String id = svc.resolveId(imageId).orElseThrow(() -> BerthException.notFound("No such image: %s", imageId));
        List<String> chains = LocalImageService.chains(svc.images.config(id));
        List<Path> dirs = new ArrayList<>();
        for (int i = chains.size() - 1; i >= 0; i--) {
            dirs.add(svc.snapshots.upperDir(chains.get(i)));
        }
        return new ImageTree(dirs, svc.fileOps);
    }
}
