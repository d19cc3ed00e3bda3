package dev.berth.image;

import dev.berth.oci.ref.Reference;

import dev.berth.common.Digest;
import dev.berth.common.Json;
import dev.berth.oci.image.ArchiveManifestEntry;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Index;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.image.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes {@code docker save} output as Docker 25+ does: one tar that is both an OCI image layout
 * ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/…} holding configs, uncompressed
 * layers and OCI manifests) and a docker-archive ({@code manifest.json} whose Config/Layers point
 * into {@code blobs/}, plus the legacy {@code repositories} file). Not thread-safe; one per save.
 */
final class ArchiveWriter {
    /** A layer to write: its diff id and the uncompressed tar. */
    record LayerBlob(String diffId, Path file) {}

    /** An image to write with the references to record for it (full, tagged; may be empty). */
    record SaveImage(String id, byte[] config, List<LayerBlob> layers, List<Reference> refs) {}

    private final TarArchiveOutputStream tar;
    private final Set<String> written = new HashSet<>();

    ArchiveWriter(OutputStream out) {
        this.tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    void write(List<SaveImage> images) throws IOException {
        dir("blobs/");
        dir("blobs/sha256/");
        List<Descriptor> indexEntries = new ArrayList<>();
        List<ArchiveManifestEntry> manifest = new ArrayList<>();
        Map<String, Map<String, String>> repositories = new TreeMap<>();
        for (SaveImage img : images) {
            List<Descriptor> layerDescs = new ArrayList<>();
            List<String> layerPaths = new ArrayList<>();
            for (LayerBlob l : img.layers()) {
                String hex = Digest.parse(l.diffId()).hex();
                long size = Files.size(l.file());
                if (written.add(hex)) {
                    try (InputStream in = Files.newInputStream(l.file())) {
                        file("blobs/sha256/" + hex, size, in);
                    }
                }
                layerDescs.add(new Descriptor(MediaTypes.OCI_LAYER, l.diffId(), size));
                layerPaths.add("blobs/sha256/" + hex);
            }
            String configHex = Digest.parse(img.id()).hex();
            bytes("blobs/sha256/" + configHex, img.config());
            Manifest m = new Manifest(2, MediaTypes.OCI_MANIFEST,
                    new Descriptor(MediaTypes.OCI_CONFIG, img.id(), img.config().length), layerDescs, null);
            byte[] mBytes = Json.mapper().writeValueAsBytes(m);
            Digest mDigest = Digest.sha256(mBytes);
            bytes("blobs/sha256/" + mDigest.hex(), mBytes);
            List<String> repoTags = new ArrayList<>();
            if (img.refs().isEmpty()) {
                indexEntries.add(new Descriptor(MediaTypes.OCI_MANIFEST, mDigest.toString(), mBytes.length));
            }
            for (Reference r : img.refs()) {
                Map<String, String> ann = new LinkedHashMap<>();
                ann.put(MediaTypes.ANNOTATION_IMAGE_NAME, r.toString());
                ann.put(MediaTypes.ANNOTATION_REF_NAME, r.tag());
                indexEntries.add(new Descriptor(MediaTypes.OCI_MANIFEST, mDigest.toString(), mBytes.length, ann, null));
                repoTags.add(r.familiarString());
                if (!img.layers().isEmpty()) {
                    repositories.computeIfAbsent(r.familiarName(), k -> new TreeMap<>())
                            .put(r.tag(), Digest.parse(img.layers().getLast().diffId()).hex());
                }
            }
            manifest.add(new ArchiveManifestEntry("blobs/sha256/" + configHex, repoTags.isEmpty() ? null : repoTags, layerPaths));
        }
        bytes("index.json", Json.mapper().writeValueAsBytes(new Index(2, MediaTypes.OCI_INDEX, indexEntries, null)));
        bytes("manifest.json", Json.mapper().writeValueAsBytes(manifest));
        bytes("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        if (!repositories.isEmpty()) {
            bytes("repositories", Json.mapper().writeValueAsBytes(repositories));
        }
        tar.finish();
        tar.flush();
    }

    private void dir(String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        e.setModTime(0);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private void bytes(String name, byte[] data) throws IOException {
        file(name, data.length, new java.io.ByteArrayInputStream(data));
    }

    private void file(String name, long size, InputStream in) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(size);
        e.setMode(0100644);
        e.setModTime(0);
        tar.putArchiveEntry(e);
        in.transferTo(tar);
        tar.closeArchiveEntry();
    }
}
