package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Pulls that go wrong, and a foreign registry, through berthd and the docker CLI: Debian's
 * distribution registry as push target and pull source; a registry serving a corrupted blob (the
 * pull fails with dockerd's digest error and the store is as before); berthd killed with SIGKILL
 * in the middle of a pull (the next pull finishes without fetching the finished blobs again,
 * counted by a proxy in front of the registry).
 */
class DistributionRecoveryIT extends E2E {
    private static final TestRegistries REGISTRIES = new TestRegistries();
    private static TestRegistries.Registry berthRegistry;

    DistributionRecoveryIT(Engine e) throws IOException {
        super(e);
        synchronized (REGISTRIES) {
            if (berthRegistry == null) {
                berthRegistry = REGISTRIES.berth(e, null);
            }
        }
    }

    @AfterAll
    static void stopRegistries() {
        synchronized (REGISTRIES) {
            REGISTRIES.close();
            berthRegistry = null;
        }
    }

    @Test
    void debianRegistryIsPushTargetAndPullSource() throws IOException {
        assertThat(TestRegistries.DEBIAN_REGISTRY).as("Debian's docker-registry package (scripts/setup.sh installs it)").isExecutable();
        TestRegistries.Registry deb = REGISTRIES.debian(e);
        String image = deb.host() + "/e2e/" + Engine.name("deb") + ":1";
        DistributionIT.uniqueImage(e, image);
        assertThat(ok("push", image)).contains("Pushed").containsPattern("1: digest: sha256:[0-9a-f]{64} size: \\d+");
        ok("rmi", image);
        assertThat(ok("pull", image)).contains("Pull complete").contains("Status: Downloaded newer image for " + image);
        assertThat(ok("run", "--rm", image, "echo", "from-debian")).isEqualTo("from-debian\n");
        ok("rmi", image);
    }

    @Test
    void corruptedBlobFailsWithDigestErrorAndLeavesTheStoreAsItWas() throws Exception {
        String repo = "e2e/" + Engine.name("corrupt");
        String image = berthRegistry.host() + "/" + repo + ":1";
        DistributionIT.uniqueImage(e, image);
        ok("push", image);
        ok("rmi", image);
        List<Blob> layers = layers(berthRegistry.host(), repo, "1");
        Blob layer = layers.getFirst();
        Path file = berthRegistry.root().resolve("blobs/sha256/" + layer.hex());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= (byte) 0xff; // same size, other content
        Files.write(file, bytes);

        String images = ok("images", "-a", "-q", "--no-trunc");
        List<String> layerRecords = list(e.dataRoot.resolve("image/layers"));
        List<String> snapshots = snapshotKeys();
        Cmd.Result pull = docker("pull", image);
        assertThat(pull.exit()).as(pull.describe()).isEqualTo(1);
        assertThat(pull.err()).contains("filesystem layer verification failed for digest " + layer.digest());

        assertThat(ok("images", "-a", "-q", "--no-trunc")).isEqualTo(images);
        assertThat(list(e.dataRoot.resolve("image/layers"))).isEqualTo(layerRecords);
        assertThat(snapshotKeys()).as("no snapshot added or left half-made").isEqualTo(snapshots);
        assertThat(list(e.dataRoot.resolve("image/content/ingest"))).as("no content store leftovers").isEmpty();
        assertThat(list(e.dataRoot.resolve("distribution/ingest"))).as("no download leftovers").noneMatch(n -> n.contains(layer.hex()));
    }

    @Test
    void pullAfterKill9ResumesWithoutFetchingFinishedBlobsAgain() throws Exception {
        String repo = "e2e/" + Engine.name("resume");
        String direct = berthRegistry.host() + "/" + repo + ":1";
        loadRandomImage(direct, 192, 160, 6144);
        ok("push", direct);
        ok("rmi", direct);
        List<Blob> layers = layers(berthRegistry.host(), repo, "1");
        assertThat(layers).hasSize(3);
        Blob big = layers.get(2);
        List<Blob> small = layers.subList(0, 2);
        Path ingest = e.dataRoot.resolve("distribution/ingest");

        try (CountingProxy proxy = new CountingProxy(berthRegistry.host())) {
            String image = proxy.host() + "/" + repo + ":1";
            proxy.bytesPerSecond = 1 << 20; // the big layer takes seconds, the small ones a fraction
            CompletableFuture<Cmd.Result> first = CompletableFuture.supplyAsync(() -> docker("pull", image));
            boolean midway = eventually(Duration.ofSeconds(30), () -> small.stream().allMatch(b -> Files.exists(ingest.resolve("sha256-" + b.hex())))
                    && size(ingest.resolve("sha256-" + big.hex() + ".partial")) > 0);
            assertThat(midway).as("both small blobs downloaded while the big one is on its way").isTrue();
            e.kill9();
            assertThat(first.join().exit()).isNotZero();
            e.start();

            proxy.bytesPerSecond = 0;
            Cmd.Result again = docker("pull", image);
            assertThat(again.exit()).as(again.describe()).isZero();
            assertThat(again.out()).contains("Status: Downloaded newer image for " + image);
            for (Blob b : small) {
                assertThat(proxy.blobGets(b.digest())).as("finished blob %s is not fetched again", b.digest()).hasSize(1);
            }
            List<CountingProxy.Request> bigGets = proxy.blobGets(big.digest());
            assertThat(bigGets).hasSize(2);
            assertThat(bigGets.get(1).range()).as("the interrupted blob resumes where it stopped").matches("bytes=[1-9][0-9]*-");
            assertThat(inspect(image, "{{len .RootFS.Layers}}")).isEqualTo("3");
            assertThat(list(ingest)).as("a finished pull keeps no downloads").noneMatch(n -> layers.stream().anyMatch(b -> n.contains(b.hex())));
            ok("rmi", image);
        }
    }

    // ---- fixtures

    record Blob(String digest, long size) {
        String hex() {
            return digest.substring("sha256:".length());
        }
    }

    private static final Pattern LAYER = Pattern.compile("\"digest\"\\s*:\\s*\"(sha256:[0-9a-f]{64})\"");

    /** The layer blobs of {@code repo:tag}, read from the registry's manifest (bottom first). */
    private static List<Blob> layers(String registry, String repo, String tag) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + registry + "/v2/" + repo + "/manifests/" + tag)).header("Accept",
                "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String body = r.body();
        String layersPart = body.substring(body.indexOf("\"layers\""));
        List<Blob> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\{[^{}]*\\}").matcher(layersPart);
        while (m.find()) {
            Matcher d = LAYER.matcher(m.group());
            Matcher s = Pattern.compile("\"size\"\\s*:\\s*(\\d+)").matcher(m.group());
            if (d.find() && s.find()) {
                out.add(new Blob(d.group(1), Long.parseLong(s.group(1))));
            }
        }
        return out;
    }

    /** Loads {@code image}: one layer per size (KiB) of random bytes, so each compresses to about its size. */
    private void loadRandomImage(String image, int... kib) {
        Path tar = e.dir.resolve("random-" + Integer.toHexString(image.hashCode()) + ".tar");
        StringBuilder sizes = new StringBuilder();
        for (int k : kib) {
            sizes.append(' ').append(k);
        }
        Cmd.Result mk = e.sh("python3 - " + tar + " '" + image + "'" + sizes + " <<'PY'\n" + """
                import hashlib, io, json, os, sys, tarfile
                out, tag, sizes = sys.argv[1], sys.argv[2], [int(x) for x in sys.argv[3:]]
                diff_ids, entries = [], []
                with tarfile.open(out, "w") as archive:
                    for i, kib in enumerate(sizes):
                        buf = io.BytesIO()
                        with tarfile.open(fileobj=buf, mode="w") as t:
                            data = os.urandom(kib << 10)
                            info = tarfile.TarInfo(f"layer{i}.bin"); info.size = len(data); info.mtime = 0
                            t.addfile(info, io.BytesIO(data))
                        raw = buf.getvalue(); h = hashlib.sha256(raw).hexdigest()
                        diff_ids.append("sha256:" + h)
                        info = tarfile.TarInfo(f"{h}/layer.tar"); info.size = len(raw)
                        archive.addfile(info, io.BytesIO(raw)); entries.append(f"{h}/layer.tar")
                    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["/bin/true"]},
                                         "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
                    ch = hashlib.sha256(config).hexdigest()
                    for name, body in ((f"{ch}.json", config),
                                       ("manifest.json", json.dumps([{"Config": f"{ch}.json", "RepoTags": [tag], "Layers": entries}]).encode())):
                        info = tarfile.TarInfo(name); info.size = len(body)
                        archive.addfile(info, io.BytesIO(body))
                PY
                """ + Engine.DOCKER + " load -q -i " + tar + " && rm -f " + tar);
        assertThat(mk.exit()).as(mk.describe()).isZero();
    }

    /** The keys of the snapshotter's records, in order. */
    private List<String> snapshotKeys() throws IOException {
        Matcher m = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(Files.readString(e.dataRoot.resolve("snapshots/metadata.json")));
        List<String> keys = new ArrayList<>();
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    private static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            // .trash- files are downloads being deleted in the background
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".trash-")).sorted().toList();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}
