package dev.berth.image;

import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import dev.berth.common.Json;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Index;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.image.MediaTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/<alg>/<hex>})
 * from an extracted directory. Nested indexes are followed and the linux/amd64 manifest chosen
 * (or the only one). Names come from {@code io.containerd.image.name}, else from a full
 * {@code org.opencontainers.image.ref.name}. Blobs are verified against their digests. Stateless.
 */
final class OciLayoutReader {
    private OciLayoutReader() {}

    static boolean matches(Path dir) {
        return Files.isRegularFile(dir.resolve("index.json"));
    }

    static List<ArchiveImage> read(Path dir, String arch) throws IOException {
        Index index = Json.mapper().readValue(Files.readAllBytes(dir.resolve("index.json")), Index.class);
        Map<String, ArchiveImage> byManifest = new LinkedHashMap<>();
        for (Descriptor d : index.manifests() == null ? List.<Descriptor>of() : index.manifests()) {
            Descriptor m = pick(dir, d, arch);
            String name = name(d);
            ArchiveImage prev = byManifest.get(m.digest());
            if (prev == null) {
                Manifest man = Json.mapper().readValue(blob(dir, m.digest()), Manifest.class);
                byte[] config = blob(dir, man.config().digest());
                List<Path> layers = new ArrayList<>();
                for (Descriptor l : man.layers() == null ? List.<Descriptor>of() : man.layers()) {
                    layers.add(blobPath(dir, l.digest()));
                }
                prev = new ArchiveImage(config, layers, new ArrayList<>());
                byManifest.put(m.digest(), prev);
            }
            if (name != null) {
                prev.names().add(name);
            }
        }
        return List.copyOf(byManifest.values());
    }

    private static Descriptor pick(Path dir, Descriptor d, String arch) throws IOException {
        if (!MediaTypes.isIndex(d.mediaType())) {
            return d;
        }
        Index nested = Json.mapper().readValue(blob(dir, d.digest()), Index.class);
        Descriptor only = null;
        for (Descriptor m : nested.manifests()) {
            if (m.platform() != null && "linux".equals(m.platform().os()) && arch.equals(m.platform().architecture())) {
                return pick(dir, m, arch);
            }
            if (m.platform() == null || !"unknown".equals(m.platform().os())) {
                only = only == null ? m : only;
            }
        }
        if (only == null) {
            throw BerthException.invalid("no manifest for platform linux/%s in archive", arch);
        }
        return pick(dir, only, arch);
    }

    private static String name(Descriptor d) {
        Map<String, String> a = d.annotations();
        if (a == null) {
            return null;
        }
        String n = a.get(MediaTypes.ANNOTATION_IMAGE_NAME);
        if (n != null) {
            return n;
        }
        String ref = a.get(MediaTypes.ANNOTATION_REF_NAME);
        if (ref != null && (ref.contains("/") || ref.contains(":"))) {
            return ref;
        }
        return null;
    }

    private static Path blobPath(Path dir, String digest) throws IOException {
        Digest d = Digest.parse(digest);
        return DockerArchiveReader.inside(dir, "blobs/" + d.algorithm() + "/" + d.hex());
    }

    private static byte[] blob(Path dir, String digest) throws IOException {
        byte[] b = Files.readAllBytes(blobPath(dir, digest));
        if (digest.startsWith("sha256:") && !Digest.sha256(b).toString().equals(digest)) {
            throw BerthException.invalid("blob %s in archive does not match its digest", digest);
        }
        return b;
    }
}
