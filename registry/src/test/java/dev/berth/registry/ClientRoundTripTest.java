package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.common.Digest;
import dev.berth.common.Json;
import dev.berth.distribution.AuthConfig;
import dev.berth.distribution.BlobFetcher;
import dev.berth.distribution.DockerProgress;
import dev.berth.distribution.ImagePuller;
import dev.berth.distribution.ImagePusher;
import dev.berth.distribution.LayerInfo;
import dev.berth.distribution.LayerSink;
import dev.berth.distribution.LayerSource;
import dev.berth.distribution.PullResult;
import dev.berth.distribution.PushResult;
import dev.berth.distribution.RegistryConfig;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.ref.Reference;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Pushes a small 2-layer image with the distribution client into the real registry and pulls it back. */
class ClientRoundTripTest extends RegistryTestSupport {

    /** A 2-layer image: gzip layers, OCI config and manifest. */
    record TwoLayerImage(List<byte[]> tars, List<byte[]> blobs, byte[] configJson, byte[] manifest) implements LayerSource {
        static TwoLayerImage build(long seed) throws IOException {
            List<byte[]> tars = new ArrayList<>();
            List<byte[]> blobs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                byte[] tar = new byte[150_000 + i * 1000];
                new Random(seed + i).nextBytes(tar);
                tars.add(tar);
                ByteArrayOutputStream bo = new ByteArrayOutputStream();
                try (OutputStream o = new GZIPOutputStream(bo)) {
                    o.write(tar);
                }
                blobs.add(bo.toByteArray());
            }
            ImageConfig cfg = new ImageConfig("2024-01-01T00:00:00Z", null, "amd64", null, "linux", null, null, null, null, null,
                    new ImageConfig.RootFs("layers", tars.stream().map(t -> Digest.sha256(t).toString()).toList()), null);
            byte[] config = Json.mapper().writeValueAsBytes(cfg);
            Manifest m = new Manifest(2, MediaTypes.OCI_MANIFEST,
                    new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(config).toString(), config.length),
                    blobs.stream().map(b -> new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(b).toString(), b.length)).toList(), null);
            return new TwoLayerImage(tars, blobs, config, Json.mapper().writeValueAsBytes(m));
        }

        @Override
        public String manifestMediaType() {
            return MediaTypes.OCI_MANIFEST;
        }

        @Override
        public Blob config() {
            return blob(new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(configJson).toString(), configJson.length), null, configJson);
        }

        @Override
        public List<Blob> layers() {
            List<Blob> out = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                byte[] b = blobs.get(i);
                out.add(blob(new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(b).toString(), b.length), Digest.sha256(tars.get(i)), b));
            }
            return out;
        }

        static Blob blob(Descriptor d, Digest diffId, byte[] bytes) {
            return new Blob() {
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
    }

    static final class Sink implements LayerSink {
        final List<byte[]> applied = new ArrayList<>();

        @Override
        public boolean hasLayer(LayerInfo layer) {
            return false;
        }

        @Override
        public Staged unpack(LayerInfo layer, InputStream uncompressed) throws IOException {
            byte[] b = uncompressed.readAllBytes();
            return new Staged() {
                @Override
                public void commit() {
                    synchronized (Sink.this) {
                        applied.add(b);
                    }
                }

                @Override
                public void close() {}
            };
        }
    }

    AuthConfig auth() {
        return AuthConfig.anonymous();
    }

    @Test
    void pushAndPullRoundTrip() throws Exception {
        TwoLayerImage img = TwoLayerImage.build(42);
        String ref = server.hostPort() + "/team/app:1.0";
        ByteArrayOutputStream pushOut = new ByteArrayOutputStream();
        var pusher = new ImagePusher(RegistryConfig.defaults(), new ImagePusher.Options(64 << 10, 5));
        PushResult pushed = pusher.push(Reference.parse(ref), auth(), img, new DockerProgress(pushOut));
        assertThat(pushed.digest()).isEqualTo(Digest.sha256(img.manifest()));
        assertThat(pushed.uploaded()).isEqualTo(2);
        assertThat(pushOut.toString()).contains("The push refers to repository [" + server.hostPort() + "/team/app]")
                .contains("\"Pushed\"").contains("1.0: digest: " + pushed.digest() + " size: " + img.manifest().length);

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertThat(pusher.push(Reference.parse(ref), auth(), img, new DockerProgress(again)).uploaded()).isZero();
        assertThat(again.toString()).contains("Layer already exists");

        Sink sink = new Sink();
        ByteArrayOutputStream pullOut = new ByteArrayOutputStream();
        PullResult pulled = new ImagePuller(RegistryConfig.defaults(), new BlobFetcher(tmp.resolve("ingest")), 3)
                .pull(Reference.parse(ref), null, auth(), new DockerProgress(pullOut), sink);
        assertThat(pulled.digest()).isEqualTo(pushed.digest());
        assertThat(pulled.config()).isEqualTo(img.configJson());
        assertThat(sink.applied).hasSize(2);
        assertThat(sink.applied.get(0)).isEqualTo(img.tars().get(0));
        assertThat(sink.applied.get(1)).isEqualTo(img.tars().get(1));
        assertThat(pullOut.toString()).contains("Pull complete").contains("Digest: " + pushed.digest());

        // Mount into another repository of the same registry.
        LayerSource mounting = new LayerSource() {
            @Override
            public byte[] manifest() {
                return img.manifest();
            }

            @Override
            public String manifestMediaType() {
                return img.manifestMediaType();
            }

            @Override
            public Blob config() {
                return img.config();
            }

            @Override
            public List<Blob> layers() {
                return img.layers();
            }

            @Override
            public List<String> mountCandidates(Digest digest) {
                return List.of("team/app");
            }
        };
        ByteArrayOutputStream mountOut = new ByteArrayOutputStream();
        pusher.push(Reference.parse(server.hostPort() + "/other/app:latest"), auth(), mounting, new DockerProgress(mountOut));
        assertThat(mountOut.toString()).contains("Mounted from team/app");
        assertThat(server.storage().tags("other/app")).containsExactly("latest");
    }

    @Test
    void pushFromUncompressedTarsThenAlreadyExists() throws Exception {
        TwoLayerImage img = TwoLayerImage.build(7);
        List<dev.berth.distribution.PushSources.LayerInput> inputs = new ArrayList<>();
        for (byte[] tar : img.tars()) {
            inputs.add(dev.berth.distribution.PushSources.LayerInput.ofTar(Digest.sha256(tar), () -> new ByteArrayInputStream(tar)));
        }
        Path cache = tmp.resolve("gzcache");
        LayerSource src = dev.berth.distribution.PushSources.dockerV2(cache, img.configJson(), inputs, d -> List.of());
        var pusher = new ImagePusher(RegistryConfig.defaults(), ImagePusher.Options.defaults());
        String ref = server.hostPort() + "/fromtar:latest";
        PushResult first = pusher.push(Reference.parse(ref), auth(), src, null);
        assertThat(first.uploaded()).isEqualTo(2);
        LayerSource again = dev.berth.distribution.PushSources.dockerV2(cache, img.configJson(), inputs, d -> List.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PushResult second = pusher.push(Reference.parse(ref), auth(), again, new DockerProgress(out));
        assertThat(second.digest()).isEqualTo(first.digest());
        assertThat(out.toString()).contains("Layer already exists");
        Sink sink = new Sink();
        PullResult pulled = new ImagePuller(RegistryConfig.defaults(), new BlobFetcher(tmp.resolve("ingest")), 3)
                .pull(Reference.parse(ref), null, auth(), null, sink);
        assertThat(pulled.manifest().mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(sink.applied.get(1)).isEqualTo(img.tars().get(1));
    }

    @Test
    void distributionServiceFacade() throws Exception {
        TwoLayerImage img = TwoLayerImage.build(99);
        var svc = new dev.berth.distribution.DistributionService(
                dev.berth.distribution.DistributionService.configFrom(List.of(), List.of()), tmp.resolve("ingest"), 3, 5);
        String header = auth().toHeader();
        for (String tag : List.of("a", "b", "c")) {
            svc.push(server.hostPort() + "/svc/app", tag, header, img, null);
        }
        assertThat(svc.tags(server.hostPort() + "/svc/app", header)).containsExactly("a", "b", "c");
        Sink sink = new Sink();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PullResult r = svc.pull(server.hostPort() + "/svc/app", "b", "linux/amd64", header, new DockerProgress(out), sink);
        assertThat(sink.applied).hasSize(2);
        assertThat(dev.berth.distribution.DistributionService.pullStatus(r.reference(), true))
                .isEqualTo("Status: Downloaded newer image for " + server.hostPort() + "/svc/app:b");
        Reference byDigest = dev.berth.distribution.DistributionService.reference("busybox", r.digest().toString());
        assertThat(byDigest.toString()).isEqualTo("docker.io/library/busybox@" + r.digest());
    }
}
