package dev.berth.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.Digest;
import dev.berth.common.Json;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Index;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.ref.Reference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PullTest {
    @TempDir
    Path tmp;
    FakeRegistry reg;

    @BeforeEach
    void setUp() throws Exception {
        reg = new FakeRegistry();
    }

    @AfterEach
    void tearDown() {
        reg.close();
    }

    private ImagePuller puller() {
        return new ImagePuller(RegistryConfig.defaults(), new BlobFetcher(tmp.resolve("ingest")), 3);
    }

    /** Pulls through a client bound to the fake's http endpoint (skips the https probe). */
    private PullResult pull(String ref, Descriptor.Platform platform, PullListener l, LayerSink sink) throws Exception {
        try (RegistryClient c = RegistryClient.open(RegistryConfig.defaults(), reg.host(), List.of(reg.base()), AuthConfig.anonymous())) {
            return puller().pull(c, Reference.parse(ref).withDefaultTag(), platform, l, sink);
        }
    }

    private TestImages.Image threeLayers(String arch, long seed) throws Exception {
        return TestImages.image(arch, List.of(
                TestImages.layer(TestImages.random(300_000, seed), TestImages.Compression.GZIP),
                TestImages.layer(TestImages.random(200_000, seed + 1), TestImages.Compression.ZSTD),
                TestImages.layer(TestImages.random(1000, seed + 2), TestImages.Compression.NONE)));
    }

    @Test
    void pullsManifestListPicksPlatformAndEmitsDockerProgress() throws Exception {
        TestImages.Image arm = threeLayers("arm64", 1);
        TestImages.Image amd = threeLayers("amd64", 10);
        TestImages.upload(reg, "library/busybox", null, arm);
        TestImages.upload(reg, "library/busybox", null, amd);
        Index idx = new Index(2, MediaTypes.DOCKER_MANIFEST_LIST, List.of(
                new Descriptor(arm.manifestType(), arm.manifestDigest().toString(), arm.manifest().length, null,
                        new Descriptor.Platform("arm64", "linux", "v8")),
                new Descriptor(amd.manifestType(), amd.manifestDigest().toString(), amd.manifest().length, null,
                        new Descriptor.Platform("amd64", "linux", null))), null);
        byte[] idxBytes = Json.mapper().writeValueAsBytes(idx);
        String idxDigest = reg.putManifest("library/busybox", "latest", MediaTypes.DOCKER_MANIFEST_LIST, idxBytes);

        var sink = new TestImages.RecordingSink();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        // Full path: loopback is insecure, https is tried first and fails, then http.
        PullResult r = puller().pull(Reference.parse(reg.host() + "/library/busybox"), Platforms.parse("linux/amd64"),
                AuthConfig.anonymous(), new DockerProgress(progress), sink);

        assertThat(r.digest().toString()).isEqualTo(idxDigest);
        assertThat(r.configDigest()).isEqualTo(amd.configDigest());
        assertThat(sink.applied).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(sink.applied.get(i)).isEqualTo(amd.layers().get(i).uncompressed());
        }
        String out = progress.toString();
        assertThat(out).contains("{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}")
                .contains("\"status\":\"Pulling fs layer\"").contains("\"status\":\"Downloading\"")
                .contains("\"status\":\"Download complete\"").contains("\"status\":\"Pull complete\"")
                .contains("{\"status\":\"Digest: " + idxDigest + "\"}");
        assertThat(Files.list(tmp.resolve("ingest")).filter(p -> !p.getFileName().toString().startsWith(".trash-")).toList())
                .as("verified files are released").isEmpty();

        // Second pull: every layer already exists.
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        PullResult r2 = pull(reg.host() + "/library/busybox:latest", null, new DockerProgress(again), sink);
        assertThat(r2.downloadedLayers()).isZero();
        assertThat(again.toString()).contains("Already exists").doesNotContain("Downloading");
    }

    @Test
    void noMatchingPlatform() throws Exception {
        TestImages.Image arm = threeLayers("arm64", 1);
        TestImages.upload(reg, "x", null, arm);
        Index idx = new Index(2, MediaTypes.OCI_INDEX, List.of(new Descriptor(arm.manifestType(), arm.manifestDigest().toString(),
                arm.manifest().length, null, new Descriptor.Platform("arm64", "linux", "v8"))), null);
        reg.putManifest("x", "latest", MediaTypes.OCI_INDEX, Json.mapper().writeValueAsBytes(idx));
        assertThatThrownBy(() -> pull(reg.host() + "/x", Platforms.parse("linux/amd64"), null, new TestImages.RecordingSink()))
                .hasMessageContaining("no matching manifest for linux/amd64 in the manifest list entries");
    }

    @Test
    void pullByDigestAndUnknownTag() throws Exception {
        TestImages.Image img = threeLayers("amd64", 5);
        TestImages.upload(reg, "app", "v1", img);
        PullResult r = pull(reg.host() + "/app@" + img.manifestDigest(), null, null, new TestImages.RecordingSink());
        assertThat(r.digest()).isEqualTo(img.manifestDigest());
        assertThatThrownBy(() -> pull(reg.host() + "/app:nope", null, null, new TestImages.RecordingSink())).hasMessageContaining("manifest for " + reg.host() + "/app:nope not found: manifest unknown");
    }

    @Test
    void digestMismatchOfLayerIsRejected() throws Exception {
        TestImages.Image img = threeLayers("amd64", 7);
        TestImages.upload(reg, "app", "latest", img);
        reg.tamper.add(img.layers().get(1).digest().toString());
        var sink = new TestImages.RecordingSink();
        assertThatThrownBy(() -> pull(reg.host() + "/app", null, null, sink))
                .hasMessageContaining("filesystem layer verification failed for digest " + img.layers().get(1).digest());
        assertThat(sink.applied.size()).isLessThanOrEqualTo(1);
        assertThat(sink.pending).as("every unpacked layer was discarded").hasValue(0);
        assertThat(Files.list(tmp.resolve("ingest")).filter(p -> !p.getFileName().toString().startsWith(".trash-")).toList())
                .as("no blob or partial file is left").isEmpty();
    }

    @Test
    void tamperedManifestIsRejected() throws Exception {
        TestImages.Image img = threeLayers("amd64", 8);
        TestImages.upload(reg, "app", null, img);
        // Served under its digest but with other bytes.
        reg.manifests.put("app@" + img.manifestDigest(), "{\"schemaVersion\":2,\"layers\":[]}".getBytes());
        try (RegistryClient c = RegistryClient.open(RegistryConfig.defaults(), reg.host(), List.of(reg.base()), AuthConfig.anonymous())) {
            assertThatThrownBy(() -> c.manifests().get("app", img.manifestDigest().toString()))
                    .hasMessageContaining("manifest verification failed");
        }
    }

    @Test
    void interruptedDownloadResumesWithRange() throws Exception {
        TestImages.Image img = threeLayers("amd64", 9);
        TestImages.upload(reg, "app", "latest", img);
        String big = img.layers().get(0).digest().toString();
        reg.truncateOnce.add(big);
        var sink = new TestImages.RecordingSink();
        pull(reg.host() + "/app", null, null, sink);
        assertThat(sink.applied.get(0)).isEqualTo(img.layers().get(0).uncompressed());
        assertThat(reg.log.stream().filter(l -> l.contains(big)).count()).isEqualTo(2);
        assertThat(reg.blobGets.get(big).get()).isEqualTo(2);
    }

    @Test
    void stalledDownloadIsCutAndResumed() throws Exception {
        byte[] data = TestImages.random(200_000, 13);
        String d = reg.putBlob("app", data);
        reg.stallOnce.add(d);
        BlobFetcher f = new BlobFetcher(tmp.resolve("ingest"), java.time.Duration.ofMillis(500));
        try (RegistryClient c = RegistryClient.open(RegistryConfig.defaults(), reg.host(), List.of(reg.base()), AuthConfig.anonymous())) {
            long t0 = System.nanoTime();
            Path p = f.fetch(c, "app", Digest.parse(d), data.length, (a, b) -> {});
            assertThat(Files.readAllBytes(p)).isEqualTo(data);
            assertThat(System.nanoTime() - t0).isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(8));
        }
        assertThat(reg.blobGets.get(d).get()).isEqualTo(2);
    }

    @Test
    void oneAttemptOnlyFailsOnTheFirstStall() throws Exception {
        byte[] data = TestImages.random(200_000, 14);
        String d = reg.putBlob("app", data);
        reg.stallOnce.add(d);
        BlobFetcher f = new BlobFetcher(tmp.resolve("ingest"), java.time.Duration.ofMillis(500), 1);
        try (RegistryClient c = RegistryClient.open(RegistryConfig.defaults(), reg.host(), List.of(reg.base()), AuthConfig.anonymous())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.fetch(c, "app", Digest.parse(d), data.length, (a, b) -> {}))
                    .isNotNull();
        }
        assertThat(reg.blobGets.get(d).get()).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BlobFetcher(tmp.resolve("ingest"), java.time.Duration.ofMillis(500), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void serverErrorIsRetried() throws Exception {
        TestImages.Image img = threeLayers("amd64", 12);
        TestImages.upload(reg, "app", "latest", img);
        String d = img.layers().get(2).digest().toString();
        reg.unavailableOnce.add(d);
        var sink = new TestImages.RecordingSink();
        try (RegistryClient c = RegistryClient.open(RegistryConfig.defaults(), reg.host(), List.of(reg.base()), AuthConfig.anonymous())) {
            puller().pull(c, Reference.parse(reg.host() + "/app:latest"), null, null, sink);
        }
        assertThat(sink.applied).hasSize(3);
        assertThat(reg.blobGets.get(d).get()).isEqualTo(2);
    }

    @Test
    void partialFileFromEarlierRunIsResumed() throws Exception {
        byte[] data = TestImages.random(100_000, 3);
        String d = reg.putBlob("app", data);
        BlobFetcher f = new BlobFetcher(tmp.resolve("ingest"));
        Files.createDirectories(f.ingestDir());
        Files.write(f.partialPath(Digest.parse(d)), java.util.Arrays.copyOf(data, 40_000));
        try (RegistryClient c = RegistryClient.open(RegistryConfig.defaults(), reg.host(), List.of(reg.base()), AuthConfig.anonymous())) {
            Path p = f.fetch(c, "app", Digest.parse(d), data.length, (a, b) -> {});
            assertThat(Files.readAllBytes(p)).isEqualTo(data);
            f.release(Digest.parse(d));
            assertThat(p).doesNotExist();
        }
        assertThat(reg.log).anyMatch(l -> l.startsWith("GET /v2/app/blobs/" + d));
    }

    @Test
    void resumeFromAPartialFileWorksWhenTheRegistryIgnoresRanges() throws Exception {
        byte[] data = TestImages.random(300_000, 5);
        String d = reg.putBlob("app", data);
        reg.rangeSupported = false;
        BlobFetcher f = new BlobFetcher(tmp.resolve("ingest"));
        Files.createDirectories(f.ingestDir());
        Files.write(f.partialPath(Digest.parse(d)), java.util.Arrays.copyOf(data, 123_456));
        try (RegistryClient c = RegistryClient.open(RegistryConfig.defaults(), reg.host(), List.of(reg.base()), AuthConfig.anonymous());
             var in = f.open(c, "app", Digest.parse(d), data.length, (a, b) -> {})) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        } finally {
            f.release(Digest.parse(d));
        }
        assertThat(reg.blobGets.get(d).get()).isEqualTo(1);
    }

    @Test
    void aStreamClosedEarlyLeavesItsPartialFileForTheNextReader() throws Exception {
        byte[] data = TestImages.random(2_000_000, 6);
        String d = reg.putBlob("app", data);
        BlobFetcher f = new BlobFetcher(tmp.resolve("ingest"));
        try (RegistryClient c = RegistryClient.open(RegistryConfig.defaults(), reg.host(), List.of(reg.base()), AuthConfig.anonymous())) {
            try (var in = f.open(c, "app", Digest.parse(d), data.length, (a, b) -> {})) {
                assertThat(in.readNBytes(1_500_000)).isEqualTo(java.util.Arrays.copyOf(data, 1_500_000));
            }
            f.release(Digest.parse(d), true);
            assertThat(Files.size(f.partialPath(Digest.parse(d)))).isGreaterThanOrEqualTo(1_500_000);
            try (var in = f.open(c, "app", Digest.parse(d), data.length, (a, b) -> {})) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            f.release(Digest.parse(d));
        }
        assertThat(reg.log.stream().filter(l -> l.startsWith("GET /v2/app/blobs/" + d)).count()).isEqualTo(2);
    }

    @Test
    void layersAreUnpackedConcurrentlyAndCommittedBottomFirst() throws Exception {
        TestImages.Image img = threeLayers("amd64", 14);
        TestImages.upload(reg, "app", "latest", img);
        java.util.concurrent.CountDownLatch topStarted = new java.util.concurrent.CountDownLatch(1);
        List<Integer> commits = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        LayerSink sink = new LayerSink() {
            @Override
            public boolean hasLayer(LayerInfo layer) {
                return false;
            }

            @Override
            public Staged unpack(LayerInfo layer, java.io.InputStream tar) throws IOException {
                if (layer.index() == 2) {
                    topStarted.countDown();
                } else if (layer.index() == 0) {
                    try {
                        // The base layer finishes only once the top one is being unpacked too.
                        assertThat(topStarted.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("top layer unpacked meanwhile").isTrue();
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                }
                tar.transferTo(java.io.OutputStream.nullOutputStream());
                return new Staged() {
                    @Override
                    public void commit() {
                        commits.add(layer.index());
                    }

                    @Override
                    public void close() {}
                };
            }
        };
        pull(reg.host() + "/app", null, null, sink);
        assertThat(commits).containsExactly(0, 1, 2);
    }

    @Test
    void sameBlobFetchedOnceForConcurrentCallers() throws Exception {
        byte[] data = TestImages.random(50_000, 4);
        String d = reg.putBlob("app", data);
        reg.blobDelayMillis = 300;
        BlobFetcher f = new BlobFetcher(tmp.resolve("ingest"));
        try (RegistryClient c = RegistryClient.open(RegistryConfig.defaults(), reg.host(), List.of(reg.base()), AuthConfig.anonymous())) {
            var a = CompletableFuture.supplyAsync(() -> fetch(f, c, d, data.length));
            var b = CompletableFuture.supplyAsync(() -> fetch(f, c, d, data.length));
            assertThat(a.get()).isEqualTo(b.get());
            assertThat(reg.blobGets.get(d).get()).isEqualTo(1);
            f.release(Digest.parse(d));
            assertThat(a.get()).exists();
            f.release(Digest.parse(d));
            assertThat(a.get()).doesNotExist();
        }
    }

    private static Path fetch(BlobFetcher f, RegistryClient c, String d, long size) {
        try {
            return f.fetch(c, "app", Digest.parse(d), size, (x, y) -> {});
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void mirrorIsTriedFirstAndFallsBack() throws Exception {
        TestImages.Image img = threeLayers("amd64", 11);
        TestImages.upload(reg, "app", "latest", img);
        try (FakeRegistry mirror = new FakeRegistry()) {
            RegistryConfig cfg = new RegistryConfig(List.of(), java.util.Map.of(reg.host(), List.of(mirror.base())), null);
            var puller = new ImagePuller(cfg, new BlobFetcher(tmp.resolve("ingest")), 3);
            PullResult r = puller.pull(Reference.parse(reg.host() + "/app"), null, AuthConfig.anonymous(), null, new TestImages.RecordingSink());
            assertThat(r.digest()).isEqualTo(img.manifestDigest());
            assertThat(mirror.log).anyMatch(l -> l.startsWith("GET /v2/app/manifests/latest"));
            // Now the mirror has it: served from there.
            TestImages.upload(mirror, "app", "latest", img);
            int before = reg.log.size();
            puller.pull(Reference.parse(reg.host() + "/app"), null, AuthConfig.anonymous(), null, new TestImages.RecordingSink());
            assertThat(reg.log.size()).isEqualTo(before);
        }
    }

    @Test
    void progressBarFormat() {
        assertThat(DockerProgress.humanSize(32768)).isEqualTo("32.77kB");
        assertThat(DockerProgress.humanSize(2152262)).isEqualTo("2.152MB");
        assertThat(DockerProgress.humanSize(512)).isEqualTo("512B");
        assertThat(DockerProgress.bar(50, 100)).startsWith("[=========================>").endsWith("     50B/100B");
    }
}
