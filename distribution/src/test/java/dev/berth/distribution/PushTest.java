package dev.berth.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.common.Digest;
import dev.berth.oci.ref.Reference;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PushTest {
    FakeRegistry reg;

    @BeforeEach
    void setUp() throws Exception {
        reg = new FakeRegistry();
    }

    @AfterEach
    void tearDown() {
        reg.close();
    }

    /** Pushes through a client bound to the fake's http endpoint (skips the https probe). */
    private PushResult push(ImagePusher pusher, String ref, AuthConfig auth, LayerSource src, PushListener l) throws Exception {
        try (RegistryClient c = RegistryClient.open(RegistryConfig.defaults(), reg.host(), List.of(reg.base()), auth)) {
            return pusher.push(c, Reference.parse(ref), src, l);
        }
    }

    private TestImages.Image image(long seed) throws Exception {
        return TestImages.image("amd64", List.of(
                TestImages.layer(TestImages.random(70_000, seed), TestImages.Compression.GZIP),
                TestImages.layer(TestImages.random(10_000, seed + 1), TestImages.Compression.NONE)));
    }

    @Test
    void chunkedPushThenLayerAlreadyExists() throws Exception {
        TestImages.Image img = image(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var pusher = new ImagePusher(RegistryConfig.defaults(), new ImagePusher.Options(16_384, 5));
        PushResult r = pusher.push(Reference.parse(reg.host() + "/x:latest"), AuthConfig.anonymous(), img.source(), new DockerProgress(out));
        assertThat(r.digest()).isEqualTo(img.manifestDigest());
        assertThat(r.uploaded()).isEqualTo(2);
        for (TestImages.Layer l : img.layers()) {
            assertThat(reg.blobs.get(l.digest().toString())).isEqualTo(l.blob());
        }
        assertThat(reg.manifests.get("x@latest")).isEqualTo(img.manifest());
        long patches = reg.log.stream().filter(l -> l.startsWith("PATCH")).count();
        assertThat(patches).as("70000-byte layer in 16 KiB chunks + 10000-byte layer + config").isGreaterThanOrEqualTo(5 + 1);
        String text = out.toString();
        assertThat(text).contains("{\"status\":\"The push refers to repository [" + reg.host() + "/x]\"}")
                .contains("\"status\":\"Preparing\"").contains("\"status\":\"Pushing\"").contains("\"status\":\"Pushed\"")
                .contains("{\"status\":\"latest: digest: " + img.manifestDigest() + " size: " + img.manifest().length + "\"}")
                .contains("\"aux\":{\"Tag\":\"latest\",\"Digest\":\"" + img.manifestDigest() + "\",\"Size\":" + img.manifest().length + "}")
                .contains("\"id\":\"" + img.layers().get(0).diffId().shortHex() + "\"");

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        PushResult r2 = push(pusher, reg.host() + "/x:latest", AuthConfig.anonymous(), img.source(), new DockerProgress(again));
        assertThat(r2.uploaded()).isZero();
        assertThat(again.toString()).contains("Layer already exists").doesNotContain("\"Pushing\"");
    }

    @Test
    void monolithicPush() throws Exception {
        TestImages.Image img = image(2);
        var pusher = new ImagePusher(RegistryConfig.defaults(), new ImagePusher.Options(-1, 2));
        push(pusher, reg.host() + "/mono:v1", AuthConfig.anonymous(), img.source(), null);
        assertThat(reg.log).noneMatch(l -> l.startsWith("PATCH"));
        assertThat(reg.blobs).containsKey(img.layers().get(0).digest().toString());
        assertThat(reg.manifests).containsKey("mono@v1");
    }

    @Test
    void crossRepositoryMount() throws Exception {
        TestImages.Image img = image(3);
        TestImages.upload(reg, "library/base", "latest", img);
        LayerSource base = img.source();
        LayerSource withCandidates = new LayerSource() {
            @Override
            public byte[] manifest() {
                return base.manifest();
            }

            @Override
            public String manifestMediaType() {
                return base.manifestMediaType();
            }

            @Override
            public Blob config() {
                return base.config();
            }

            @Override
            public List<Blob> layers() {
                return base.layers();
            }

            @Override
            public List<String> mountCandidates(Digest digest) {
                return List.of("library/base");
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PushResult r = push(new ImagePusher(RegistryConfig.defaults(), ImagePusher.Options.defaults()),
                reg.host() + "/other:1", AuthConfig.anonymous(), withCandidates, new DockerProgress(out));
        assertThat(r.uploaded()).isZero();
        assertThat(out.toString()).contains("Mounted from library/base");
        assertThat(reg.log).anyMatch(l -> l.startsWith("POST /v2/other/blobs/uploads/?mount=sha256"));
        assertThat(reg.repoBlobs.get("other")).contains(img.layers().get(0).digest().toString());
    }

    @Test
    void pushWithBearerAuth() throws Exception {
        reg.auth = FakeRegistry.Auth.BEARER;
        TestImages.Image img = image(4);
        push(new ImagePusher(RegistryConfig.defaults(), ImagePusher.Options.defaults()),
                reg.host() + "/secure:1", AuthConfig.basic("alice", "secret"), img.source(), null);
        assertThat(reg.manifests).containsKey("secure@1");
        assertThat(reg.log).anyMatch(l -> l.contains("/token?") && l.contains("pull%2Cpush"));
    }

    @Test
    void tagListFollowsLinkPagination() throws Exception {
        try (RegistryClient c = RegistryClient.open(RegistryConfig.defaults(), reg.host(), List.of(reg.base()), AuthConfig.anonymous())) {
            assertThat(c.tags().list("paged")).containsExactly("a", "b", "c");
        }
    }
}
