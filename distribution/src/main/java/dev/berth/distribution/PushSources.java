package dev.berth.distribution;

import dev.berth.common.Digest;
import dev.berth.common.Json;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.image.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * Builds a {@link LayerSource} for a push from what an image store has: the image config bytes
 * and, per layer, either the compressed blob kept from a pull or the uncompressed layer tar. Tars
 * are gzip-compressed once into {@code cacheDir} (keyed by diff id, deterministic), so pushing
 * the same image again names the same blobs and the registry answers "Layer already exists".
 * The manifest is Docker v2.2 (as dockerd pushes). Thread-safe.
 */
public final class PushSources {
    private PushSources() {}

    /** Opens a stream; may be called more than once. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    /**
     * One layer: {@code compressed} (descriptor of a stored blob, opened by {@code compressedOpener})
     * when the store kept it, else {@code uncompressedTar}.
     */
    public record LayerInput(Digest diffId, Opener uncompressedTar, Descriptor compressed, Opener compressedOpener) {
        public static LayerInput ofTar(Digest diffId, Opener tar) {
            return new LayerInput(diffId, tar, null, null);
        }
    }

    /** Prepares the layers (compressing where needed) and returns the source. */
    public static LayerSource dockerV2(Path cacheDir, byte[] config, List<LayerInput> inputs, Function<Digest, List<String>> mountCandidates)
            throws IOException {
        List<LayerSource.Blob> layers = new ArrayList<>();
        List<Descriptor> descriptors = new ArrayList<>();
        for (LayerInput in : inputs) {
            Descriptor d;
            Opener open;
            if (in.compressed() != null) {
                d = new Descriptor(MediaTypes.DOCKER_LAYER_GZIP, in.compressed().digest(), in.compressed().size());
                open = in.compressedOpener();
            } else {
                Path gz = compress(cacheDir, in);
                d = new Descriptor(MediaTypes.DOCKER_LAYER_GZIP, sidecarDigest(gz), Files.size(gz));
                open = () -> Files.newInputStream(gz);
            }
            descriptors.add(d);
            layers.add(blob(d, in.diffId(), open));
        }
        Descriptor cfg = new Descriptor(MediaTypes.DOCKER_CONFIG, Digest.sha256(config).toString(), config.length);
        byte[] manifest = Json.mapper().writeValueAsBytes(new Manifest(2, MediaTypes.DOCKER_MANIFEST, cfg, descriptors, null));
        LayerSource.Blob configBlob = blob(cfg, null, () -> new java.io.ByteArrayInputStream(config));
        List<LayerSource.Blob> fixed = List.copyOf(layers);
        return new LayerSource() {
            @Override
            public byte[] manifest() {
                return manifest;
            }

            @Override
            public String manifestMediaType() {
                return MediaTypes.DOCKER_MANIFEST;
            }

            @Override
            public Blob config() {
                return configBlob;
            }

            @Override
            public List<Blob> layers() {
                return fixed;
            }

            @Override
            public List<String> mountCandidates(Digest digest) {
                return mountCandidates == null ? List.of() : mountCandidates.apply(digest);
            }
        };
    }

    private static LayerSource.Blob blob(Descriptor d, Digest diffId, Opener open) {
        return new LayerSource.Blob() {
            @Override
            public Descriptor descriptor() {
                return d;
            }

            @Override
            public Digest diffId() {
                return diffId;
            }

            @Override
            public InputStream open() throws IOException {
                return open.open();
            }
        };
    }

    private static String sidecarDigest(Path gz) throws IOException {
        return Files.readString(gz.resolveSibling(gz.getFileName() + ".digest")).trim();
    }

    /** {@code <cache>/<diffIdHex>.tar.gz} plus a {@code .digest} sidecar, written atomically once. */
    private static Path compress(Path cacheDir, LayerInput in) throws IOException {
        Files.createDirectories(cacheDir);
        Path gz = cacheDir.resolve(in.diffId().hex() + ".tar.gz");
        Path sidecar = cacheDir.resolve(in.diffId().hex() + ".tar.gz.digest");
        if (Files.exists(gz) && Files.exists(sidecar)) {
            return gz;
        }
        Path tmp = Files.createTempFile(cacheDir, "compress-", ".tmp");
        try {
            MessageDigest md = Digest.newSha256();
            MessageDigest diff = Digest.newSha256();
            try (InputStream tar = in.uncompressedTar().open();
                 OutputStream file = Files.newOutputStream(tmp, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream gzOut = new GZIPOutputStream(new DigestOutputStream(file, md), 64 << 10)) {
                byte[] buf = new byte[64 << 10];
                int n;
                while ((n = tar.read(buf)) > 0) {
                    diff.update(buf, 0, n);
                    gzOut.write(buf, 0, n);
                }
            }
            Digest actualDiff = Digest.ofSha256(diff);
            if (!actualDiff.equals(in.diffId())) {
                throw new IOException("layer content does not match its diff id: expected " + in.diffId() + ", got " + actualDiff);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, gz, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Path stmp = Files.createTempFile(cacheDir, "digest-", ".tmp");
            Files.writeString(stmp, Digest.ofSha256(md).toString());
            Files.move(stmp, sidecar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return gz;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
