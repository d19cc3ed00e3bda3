package dev.berth.distribution;

import com.github.luben.zstd.ZstdOutputStream;
import dev.berth.common.Digest;
import dev.berth.common.Json;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.image.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Builds small images in memory (layer contents are random bytes; the puller does not parse tars). */
final class TestImages {
    enum Compression { GZIP, ZSTD, NONE }

    record Layer(byte[] uncompressed, byte[] blob, String mediaType) {
        Digest diffId() {
            return Digest.sha256(uncompressed);
        }

        Digest digest() {
            return Digest.sha256(blob);
        }
    }

    record Image(List<Layer> layers, byte[] config, byte[] manifest, String manifestType) {
        Digest configDigest() {
            return Digest.sha256(config);
        }

        Digest manifestDigest() {
            return Digest.sha256(manifest);
        }

        LayerSource source() {
            Image img = this;
            return new LayerSource() {
                @Override
                public byte[] manifest() {
                    return img.manifest;
                }

                @Override
                public String manifestMediaType() {
                    return img.manifestType;
                }

                @Override
                public Blob config() {
                    return blob(new Descriptor(MediaTypes.OCI_CONFIG, img.configDigest().toString(), img.config.length), null, img.config);
                }

                @Override
                public List<Blob> layers() {
                    return img.layers.stream().map(l -> blob(new Descriptor(l.mediaType, l.digest().toString(), l.blob.length), l.diffId(), l.blob)).toList();
                }
            };
        }
    }

    static LayerSource.Blob blob(Descriptor d, Digest diffId, byte[] bytes) {
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
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }
        };
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static Layer layer(byte[] content, Compression c) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        switch (c) {
            case GZIP -> {
                try (OutputStream o = new GZIPOutputStream(bo)) {
                    o.write(content);
                }
                return new Layer(content, bo.toByteArray(), MediaTypes.OCI_LAYER_GZIP);
            }
            case ZSTD -> {
                try (OutputStream o = new ZstdOutputStream(bo)) {
                    o.write(content);
                }
                return new Layer(content, bo.toByteArray(), MediaTypes.OCI_LAYER_ZSTD);
            }
            default -> {
                return new Layer(content, content, MediaTypes.OCI_LAYER);
            }
        }
    }

    static Image image(String arch, List<Layer> layers) {
        List<String> diffIds = layers.stream().map(l -> l.diffId().toString()).toList();
        ImageConfig cfg = new ImageConfig("2024-01-01T00:00:00Z", null, arch, null, "linux", null, null, null, null, null,
                new ImageConfig.RootFs("layers", diffIds), null);
        byte[] config = Json.mapper().writeValueAsBytes(cfg);
        List<Descriptor> ds = new ArrayList<>();
        for (Layer l : layers) {
            ds.add(new Descriptor(l.mediaType, l.digest().toString(), l.blob.length));
        }
        Manifest m = new Manifest(2, MediaTypes.OCI_MANIFEST,
                new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(config).toString(), config.length), ds, null);
        return new Image(layers, config, Json.mapper().writeValueAsBytes(m), MediaTypes.OCI_MANIFEST);
    }

    /** Puts every blob and the manifest (by digest and optionally tag) into the fake registry. */
    static void upload(FakeRegistry reg, String repo, String tag, Image img) {
        for (Layer l : img.layers()) {
            reg.putBlob(repo, l.blob());
        }
        reg.putBlob(repo, img.config());
        reg.putManifest(repo, tag, img.manifestType(), img.manifest());
    }

    /** A sink that records uncompressed layer contents. */
    static final class RecordingSink implements LayerSink {
        final List<byte[]> applied = java.util.Collections.synchronizedList(new ArrayList<>());
        final java.util.Set<Digest> have = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /** Layers unpacked and neither committed nor discarded yet. */
        final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public boolean hasLayer(LayerInfo layer) {
            return have.contains(layer.chainId());
        }

        @Override
        public Staged unpack(LayerInfo layer, InputStream uncompressed) throws IOException {
            byte[] b = uncompressed.readAllBytes();
            pending.incrementAndGet();
            return new Staged() {
                private boolean done;

                @Override
                public void commit() {
                    applied.add(b);
                    have.add(layer.chainId());
                    close();
                }

                @Override
                public void close() {
                    if (!done) {
                        done = true;
                        pending.decrementAndGet();
                    }
                }
            };
        }
    }
}
