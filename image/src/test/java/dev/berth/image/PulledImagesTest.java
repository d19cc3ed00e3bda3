package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import dev.berth.common.Json;
import dev.berth.oci.image.ImageConfig;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PulledImagesTest {
    @TempDir Path root;

    private static final byte[] BASE = new TarBuilder().dir("bin").file("bin/hello", "a").build();
    private static final byte[] TOP = new TarBuilder().file("top", "b").build();

    private static String diff(byte[] tar) {
        return Digest.sha256(tar).toString();
    }

    private static byte[] config(List<String> diffIds) {
        return Json.mapper().writeValueAsBytes(new ImageConfig("2024-01-01T00:00:00Z", null, "amd64", null, "linux", null, null, null, null,
                null, new ImageConfig.RootFs("layers", diffIds), List.of()));
    }

    @Test
    void pullAddsLayersImageTagAndDigestThenOffersThemForPush() throws Exception {
        LocalImageService svc = new LocalImageService(root, new FakeFileOps());
        PulledImages p = new PulledImages(svc);
        byte[] cfg = config(List.of(diff(BASE), diff(TOP)));
        String digestRef = "127.0.0.1:5000/bb@" + Digest.sha256("manifest".getBytes());
        PulledImages.Added added;
        try (PulledImages.Session s = p.beginPull()) {
            String base = s.applyLayer(null, diff(BASE), new ByteArrayInputStream(BASE));
            assertThat(base).isEqualTo(diff(BASE));
            String top = s.applyLayer(base, diff(TOP), new ByteArrayInputStream(TOP));
            assertThat(top).isEqualTo(PulledImages.chainId(base, diff(TOP)));
            assertThat(s.hasLayer(top)).isTrue();
            assertThat(s.hasImage(Digest.sha256(cfg).toString())).isFalse();
            added = s.addImage(cfg, "127.0.0.1:5000/bb:1", digestRef);
        }
        assertThat(added.changed()).isTrue();
        assertThat(added.image().id()).isEqualTo(Digest.sha256(cfg).toString());
        assertThat(added.image().repoTags()).containsExactly("127.0.0.1:5000/bb:1");
        assertThat(added.image().repoDigests()).containsExactly(digestRef);
        try (PulledImages.Session s = p.beginPull()) {
            assertThat(s.hasImage(added.image().id())).isTrue();
            assertThat(s.addImage(cfg, "127.0.0.1:5000/bb:1", digestRef).changed()).isFalse();
        }

        PulledImages.PushImage push = p.forPush("127.0.0.1:5000/bb:1");
        assertThat(push.config()).isEqualTo(cfg);
        assertThat(push.layers()).extracting(PulledImages.PushLayer::diffId).containsExactly(diff(BASE), diff(TOP));
        assertThat(Files.readAllBytes(push.layers().get(1).tar())).isEqualTo(TOP);
        assertThat(p.tagsOf("127.0.0.1:5000/bb")).containsExactly("127.0.0.1:5000/bb:1");
        assertThatThrownBy(() -> p.forPush("127.0.0.1:5000/bb:2")).isInstanceOf(BerthException.class)
                .hasMessage("No such image: 127.0.0.1:5000/bb:2");
    }

    @Test
    void aFailedPullLeavesTheStoreAsItWas() {
        LocalImageService svc = new LocalImageService(root, new FakeFileOps());
        PulledImages p = new PulledImages(svc);
        try (PulledImages.Session s = p.beginPull()) {
            String base = s.applyLayer(null, diff(BASE), new ByteArrayInputStream(BASE));
            // A corrupted second layer: its content does not match the diff id from the config.
            assertThatThrownBy(() -> s.applyLayer(base, diff(BASE), new ByteArrayInputStream(TOP))).isInstanceOf(BerthException.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(svc.layers.list()).isEmpty();
        assertThat(svc.snapshots.list()).isEmpty();
        assertThat(svc.list()).isEmpty();
        assertThat(svc.content.exists(Digest.parse(diff(BASE)))).isFalse();
        assertThat(svc.content.exists(Digest.parse(diff(TOP)))).isFalse();
    }

    @Test
    void layersUnpackedOutOfOrderAppearOnlyWhenCommittedBottomFirst() throws Exception {
        LocalImageService svc = new LocalImageService(root, new FakeFileOps());
        PulledImages p = new PulledImages(svc);
        byte[] cfg = config(List.of(diff(BASE), diff(TOP)));
        try (PulledImages.Session s = p.beginPull()) {
            PulledImages.StagedLayer top = s.unpackLayer(diff(TOP), new ByteArrayInputStream(TOP));
            PulledImages.StagedLayer base = s.unpackLayer(diff(BASE), new ByteArrayInputStream(BASE));
            assertThat(svc.layers.list()).isEmpty();
            assertThat(svc.content.exists(Digest.parse(diff(TOP)))).isFalse();
            String baseChain = s.commitLayer(base, null);
            String topChain = s.commitLayer(top, baseChain);
            assertThat(topChain).isEqualTo(PulledImages.chainId(baseChain, diff(TOP)));
            assertThat(svc.snapshots.stat(topChain)).get().satisfies(i -> assertThat(i.parent()).isEqualTo(baseChain));
            top.close(); // harmless once committed
            s.addImage(cfg, "127.0.0.1:5000/bb:2", null);
        }
        assertThat(svc.layers.list()).hasSize(2);
        assertThat(svc.snapshots.list()).hasSize(2);
    }

    @Test
    void stagedLayersOfAFailedPullLeaveNothing() throws Exception {
        LocalImageService svc = new LocalImageService(root, new FakeFileOps());
        PulledImages p = new PulledImages(svc);
        try (PulledImages.Session s = p.beginPull()) {
            PulledImages.StagedLayer base = s.unpackLayer(diff(BASE), new ByteArrayInputStream(BASE));
            s.commitLayer(base, null);
            PulledImages.StagedLayer top = s.unpackLayer(diff(TOP), new ByteArrayInputStream(TOP));
            assertThatThrownBy(() -> s.unpackLayer(diff(BASE), new ByteArrayInputStream(TOP))).isInstanceOf(BerthException.class)
                    .hasMessageContaining("does not match its diff id");
            top.close();
        }
        assertThat(svc.layers.list()).isEmpty();
        assertThat(svc.snapshots.list()).isEmpty();
        assertThat(svc.content.list()).isEmpty();
        try (var files = Files.list(root.resolve("image/content/ingest"))) {
            assertThat(files.count()).isZero();
        }
    }
}
