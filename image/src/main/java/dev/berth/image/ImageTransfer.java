package dev.berth.image;

import dev.berth.oci.ref.Reference;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import dev.berth.oci.image.ContainerConfig;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Moving images in and out of the store: {@code docker import} (rootfs tar → one-layer image),
 * {@code docker load} (docker-archive or OCI layout) and {@code docker save} (both at once). Each
 * runs under the read side of the service's lock; a failure leaves no image, layer or blob behind
 * (unreferenced layers are collected afterwards). Thread-safe.
 */
final class ImageTransfer {
    private final LocalImageService svc;

    ImageTransfer(LocalImageService svc) {
        this.svc = svc;
    }

    static String hostArch() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> a;
        };
    }

    LocalImage importRootfs(InputStream tar, String reference, List<String> changes, String message, String platform) {
        Reference ref = null;
        if (reference != null && !reference.isEmpty()) {
            ref = Reference.parse(reference);
            if (ref.digest() != null) {
                throw BerthException.invalid("refusing to create a tag with a digest reference");
            }
            ref = ref.withDefaultTag();
        }
        String os = "linux";
        String arch = hostArch();
        String variant = null;
        if (platform != null && !platform.isBlank()) {
            String[] p = platform.toLowerCase(Locale.ROOT).split("/");
            os = p[0];
            if (p.length > 1) {
                arch = p[1];
            }
            if (p.length > 2) {
                variant = p[2];
            }
            if (!os.equals("linux")) {
                throw BerthException.invalid("operating system is not supported: %s", os);
            }
        }
        ContainerConfig cfg = ChangeParser.apply(null, changes);
        String comment = message == null || message.isBlank() ? "Imported from -" : message;
        String created = Instant.now().toString();
        boolean ok = false;
        svc.gc.readLock().lock();
        try {
            LayerStore.Layer layer = svc.layers.apply(tar, null, null);
            ImageConfig config = new ImageConfig(created, null, arch, variant, os, null, comment, null, null, cfg,
                    new ImageConfig.RootFs("layers", List.of(layer.diffId())),
                    List.of(new ImageConfig.History(created, null, null, comment, null)));
            String id = svc.images.add(Json.mapper().writeValueAsBytes(config), null);
            if (ref != null) {
                svc.refs.put(ref, id);
            }
            ok = true;
            return svc.view(id);
        } catch (IOException e) {
            throw BerthException.invalid("import failed: %s", e.getMessage());
        } finally {
            svc.gc.readLock().unlock();
            if (!ok) {
                svc.pruneLayers();
            }
        }
    }

    List<String> load(InputStream archive, Consumer<String> progress) {
        List<String> loaded = new ArrayList<>();
        Path dir = svc.tmp.resolve(AtomicFiles.TMP_PREFIX + "load-" + UUID.randomUUID());
        boolean ok = false;
        svc.gc.readLock().lock();
        try {
            Files.createDirectories(dir);
            svc.extractor.extract(Decompressor.open(archive), dir, TarExtractor.Options.PLAIN);
            List<ArchiveImage> found;
            if (DockerArchiveReader.matches(dir)) {
                found = DockerArchiveReader.read(dir);
            } else if (OciLayoutReader.matches(dir)) {
                found = OciLayoutReader.read(dir, hostArch());
            } else {
                throw BerthException.invalid("invalid archive: no manifest.json or index.json found (is it a docker save or OCI layout tar?)");
            }
            for (ArchiveImage img : found) {
                String id = loadOne(img);
                if (img.names().isEmpty()) {
                    report(loaded, progress, "Loaded image ID: " + id);
                }
                for (String name : img.names()) {
                    Reference r = Reference.parse(name);
                    r = r.digest() != null ? r : r.withDefaultTag();
                    String old = svc.refs.put(r, id);
                    if (old != null && !old.equals(id)) {
                        report(loaded, progress, "The image %s already exists, renaming the old one with ID %s to empty string"
                                .formatted(r.familiarString(), old));
                    }
                    report(loaded, progress, "Loaded image: " + r.familiarString());
                }
            }
            ok = true;
            return loaded;
        } catch (IOException e) {
            throw BerthException.invalid("load failed: %s", e.getMessage());
        } finally {
            svc.gc.readLock().unlock();
            try {
                AtomicFiles.deleteTree(dir);
            } catch (IOException ignored) {
                // Swept at next start.
            }
            if (!ok) {
                svc.pruneLayers();
            }
        }
    }

    private static void report(List<String> lines, Consumer<String> progress, String line) {
        lines.add(line);
        if (progress != null) {
            progress.accept(line);
        }
    }

    private String loadOne(ArchiveImage img) throws IOException {
        ImageConfig c = ImageStore.parse(img.config());
        List<String> diffIds = c.rootfs() == null || c.rootfs().diffIds() == null ? List.of() : c.rootfs().diffIds();
        if (diffIds.size() != img.layers().size()) {
            throw BerthException.invalid("invalid manifest, layers length mismatch: expected %d, got %d",
                    diffIds.size(), img.layers().size());
        }
        String parent = null;
        for (int i = 0; i < diffIds.size(); i++) {
            String chain = LayerStore.chainId(parent, diffIds.get(i));
            if (svc.layers.get(chain).isEmpty()) {
                try (InputStream in = Files.newInputStream(img.layers().get(i))) {
                    svc.layers.apply(in, parent, diffIds.get(i));
                }
            }
            parent = chain;
        }
        return svc.images.add(img.config(), null);
    }

    void save(List<String> namesOrIds, OutputStream out) {
        svc.gc.readLock().lock();
        try {
            Map<String, List<Reference>> selected = new LinkedHashMap<>();
            for (String n : namesOrIds) {
                select(n, selected);
            }
            List<ArchiveWriter.SaveImage> list = new ArrayList<>();
            for (var e : selected.entrySet()) {
                String id = e.getKey();
                ImageConfig c = svc.images.config(id);
                List<ArchiveWriter.LayerBlob> blobs = new ArrayList<>();
                for (String chain : LocalImageService.chains(c)) {
                    LayerStore.Layer l = svc.layers.get(chain)
                            .orElseThrow(() -> BerthException.notFound("layer %s of image %s is missing", chain, id));
                    blobs.add(new ArchiveWriter.LayerBlob(l.diffId(), svc.layers.blob(l)));
                }
                list.add(new ArchiveWriter.SaveImage(id, svc.images.configBytes(id), blobs, e.getValue()));
            }
            new ArchiveWriter(out).write(list);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            svc.gc.readLock().unlock();
        }
    }

    /** Docker's choice: a repository name saves all its tags, a tag that tag, an id no tags. */
    private void select(String n, Map<String, List<Reference>> selected) {
        Reference ref = null;
        try {
            ref = Reference.parse(n);
        } catch (BerthException e) {
            // An id or id prefix.
        }
        if (ref != null && ref.isNameOnly()) {
            List<Reference> all = svc.refs.referencesByName(ref.name()).stream().filter(r -> r.tag() != null).toList();
            if (!all.isEmpty()) {
                for (Reference r : all) {
                    addRef(selected, svc.refs.get(r), r);
                }
                return;
            }
        } else if (ref != null && ref.tag() != null) {
            String id = svc.refs.get(ref);
            if (id != null) {
                addRef(selected, id, ref);
                return;
            }
        }
        String id = svc.resolveId(n).orElseThrow(() -> BerthException.notFound("No such image: %s", n));
        selected.computeIfAbsent(id, k -> new ArrayList<>());
    }

    private static void addRef(Map<String, List<Reference>> selected, String id, Reference r) {
        List<Reference> l = selected.computeIfAbsent(id, k -> new ArrayList<>());
        if (!l.contains(r)) {
            l.add(r);
        }
    }
}
