package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import dev.berth.common.ErrorKind;
import dev.berth.common.Json;
import dev.berth.image.ImageService.ContainerUse;
import dev.berth.image.ImageService.DeleteItem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalImageServiceTest {
    @TempDir Path root;

    private LocalImageService svc(Path dataRoot) {
        return new LocalImageService(dataRoot, new FakeFileOps());
    }

    private static ByteArrayInputStream rootfs(String marker) {
        return new ByteArrayInputStream(new TarBuilder().dir("bin").file("bin/hello", marker).symlink("bin/sh", "hello").build());
    }

    @Test
    void importCreatesOneLayerImageWithChanges() {
        LocalImageService s = svc(root);
        LocalImage img = s.importRootfs(rootfs("a"), "busybox", List.of("CMD [\"sh\"]", "ENV A=1"), "", "");
        assertThat(img.id()).startsWith("sha256:");
        assertThat(img.repoTags()).containsExactly("busybox:latest");
        assertThat(img.config().cmd()).containsExactly("sh");
        assertThat(img.config().env()).containsExactly("A=1");
        assertThat(img.comment()).isEqualTo("Imported from -");
        assertThat(img.os()).isEqualTo("linux");
        assertThat(img.diffIds()).hasSize(1);
        assertThat(img.size()).isEqualTo(1);
        // the image id is the digest of the stored config
        byte[] cfg = s.images.configBytes(img.id());
        assertThat(Digest.sha256(cfg).toString()).isEqualTo(img.id());
        assertThat(s.history("busybox")).singleElement().satisfies(h -> {
            assertThat(h.layerId()).isEqualTo(img.id());
            assertThat(h.comment()).isEqualTo("Imported from -");
            assertThat(h.tags()).containsExactly("busybox:latest");
        });
    }

    @Test
    void findsByReferenceIdAndPrefix() {
        LocalImageService s = svc(root);
        String id = s.importRootfs(rootfs("a"), "localhost:5000/x:1", List.of(), "msg", "linux/amd64").id();
        String hex = id.substring(7);
        for (String q : List.of("localhost:5000/x:1", id, hex, hex.substring(0, 1), "sha256:" + hex.substring(0, 6))) {
            assertThat(s.find(q)).as(q).map(LocalImage::id).hasValue(id);
        }
        assertThat(s.find("localhost:5000/x")).isEmpty();
        assertThatThrownBy(() -> s.get("nope")).isInstanceOf(BerthException.class).hasMessage("No such image: nope");
        assertThat(s.get(id).repoTags()).containsExactly("localhost:5000/x:1");
        assertThat(s.get(id).comment()).isEqualTo("msg");
    }

    @Test
    void tagAndRemoveFollowDockerSemantics() {
        LocalImageService s = svc(root);
        String id = s.importRootfs(rootfs("a"), "busybox", List.of(), "", "").id();
        s.tag("busybox", "other:v1");
        assertThat(s.get(id).repoTags()).containsExactlyInAnyOrder("busybox:latest", "other:v1");
        // by id with two repositories: must be forced
        assertThatThrownBy(() -> s.remove(id, false, false, x -> false)).hasMessageContaining("(must be forced) - image is referenced in multiple repositories");
        // by name with several tags: only untags
        assertThat(s.remove("other:v1", false, false, x -> false)).containsExactly(new DeleteItem("other:v1", null));
        assertThat(s.find(id)).isPresent();
        // running container: hard conflict by id
        String shortId = id.substring(7, 19);
        assertThatThrownBy(() -> s.removeImage(id, true, false, x -> List.of(new ContainerUse("c0ffee1234567890", true))))
                .hasMessage("conflict: unable to delete " + shortId + " (cannot be forced) - image is being used by running container c0ffee123456")
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(ErrorKind.CONFLICT);
        // stopped container: by name needs force
        assertThatThrownBy(() -> s.removeImage("busybox", false, false, x -> List.of(new ContainerUse("abcdef1234567890", false))))
                .hasMessageContaining("must force");
        assertThatThrownBy(() -> s.removeImage(id, false, false, x -> List.of(new ContainerUse("abcdef1234567890", false))))
                .hasMessage("conflict: unable to delete " + shortId + " (must be forced) - image is being used by stopped container abcdef123456");
        List<DeleteItem> items = s.remove("busybox", false, false, x -> false);
        assertThat(items).startsWith(new DeleteItem("busybox:latest", null), new DeleteItem(null, id));
        assertThat(items).hasSize(3); // + the layer
        assertThat(s.list()).isEmpty();
        assertThat(s.layers.list()).isEmpty();
        assertThat(s.snapshots.list()).isEmpty();
        assertThat(s.content.list()).isEmpty();
    }

    @Test
    void layersAreSharedAndKeptForContainers() {
        LocalImageService s = svc(root);
        String a = s.importRootfs(rootfs("same"), "a", List.of(), "", "").id();
        String b = s.importRootfs(rootfs("same"), "b", List.of("CMD [\"x\"]"), "", "").id();
        assertThat(a).isNotEqualTo(b);
        assertThat(s.layers.list()).hasSize(1);
        var mounts = s.prepareContainerLayer("c1", "a");
        assertThat(mounts).singleElement().satisfies(m -> assertThat(m.type()).isEqualTo("overlay"));
        assertThat(s.containerLayerMounts("c1")).isEqualTo(mounts);
        s.remove("a", false, false, x -> false);
        s.remove("b", false, false, x -> false);
        assertThat(s.layers.list()).hasSize(1); // held by the container
        s.removeContainerLayer("c1");
        s.removeContainerLayer("c1");
        assertThat(s.layers.list()).isEmpty();
        assertThat(s.snapshots.list()).isEmpty();
    }

    @Test
    void failedImportLeavesNothing() {
        LocalImageService s = svc(root);
        byte[] bad = new TarBuilder().file("ok", "1").file("../escape", "x").build();
        assertThatThrownBy(() -> s.importRootfs(new ByteArrayInputStream(bad), "x", List.of(), "", ""))
                .hasMessageContaining("escapes");
        assertThatThrownBy(() -> s.importRootfs(rootfs("a"), "x", List.of("BOGUS 1"), "", ""))
                .hasMessageContaining("not a valid change command");
        assertThat(s.list()).isEmpty();
        assertThat(s.snapshots.list()).isEmpty();
        assertThat(s.content.list()).isEmpty();
    }

    @Test
    void saveIsDockerArchiveAndOciLayoutAndRoundTrips() throws IOException {
        LocalImageService s = svc(root.resolve("a"));
        LocalImage img = s.importRootfs(rootfs("a"), "busybox:1", List.of("CMD [\"sh\"]"), "", "");
        s.tag("busybox:1", "busybox:2");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.save(List.of("busybox"), out);
        Map<String, byte[]> entries = untar(out.toByteArray());
        String hex = img.id().substring(7);
        String diff = img.diffIds().getFirst().substring(7);
        assertThat(entries).containsKeys("oci-layout", "index.json", "manifest.json", "repositories",
                "blobs/sha256/" + hex, "blobs/sha256/" + diff);
        var manifest = Json.mapper().readTree(entries.get("manifest.json"));
        assertThat(manifest.get(0).get("Config").asString()).isEqualTo("blobs/sha256/" + hex);
        assertThat(manifest.get(0).get("Layers").get(0).asString()).isEqualTo("blobs/sha256/" + diff);
        assertThat(manifest.get(0).get("RepoTags").toString()).contains("busybox:1", "busybox:2");
        var index = Json.mapper().readTree(entries.get("index.json"));
        assertThat(index.get("manifests")).hasSize(2);
        assertThat(index.get("manifests").get(0).get("annotations").get("io.containerd.image.name").asString())
                .isEqualTo("docker.io/library/busybox:1");
        assertThat(index.get("manifests").get(0).get("annotations").get("org.opencontainers.image.ref.name").asString())
                .isEqualTo("1");

        LocalImageService t = svc(root.resolve("b"));
        List<String> progress = new ArrayList<>();
        List<String> lines = t.load(new ByteArrayInputStream(out.toByteArray()), progress::add);
        assertThat(lines).containsExactly("Loaded image: busybox:1", "Loaded image: busybox:2");
        assertThat(progress).isEqualTo(lines);
        assertThat(t.get("busybox:2").id()).isEqualTo(img.id());
        assertThat(t.get("busybox:2").diffIds()).isEqualTo(img.diffIds());

        // the same archive read as a pure OCI layout (manifest.json removed)
        entries.remove("manifest.json");
        LocalImageService u = svc(root.resolve("c"));
        assertThat(u.load(new ByteArrayInputStream(tar(entries)), null))
                .containsExactly("Loaded image: busybox:1", "Loaded image: busybox:2");
        assertThat(u.get("busybox:1").id()).isEqualTo(img.id());

        // saving by id records no tags
        ByteArrayOutputStream byId = new ByteArrayOutputStream();
        s.save(List.of(img.id().substring(7, 19)), byId);
        LocalImageService v = svc(root.resolve("d"));
        assertThat(v.load(new ByteArrayInputStream(byId.toByteArray()), null)).containsExactly("Loaded image ID: " + img.id());
        assertThatThrownBy(() -> s.save(List.of("nope"), new ByteArrayOutputStream())).hasMessage("No such image: nope");
    }

    @Test
    void loadsLegacyDockerArchiveWithGzipLayer() throws IOException {
        byte[] layer = new TarBuilder().file("f", "x").build();
        String diff = Digest.sha256(layer).toString();
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"f\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diff + "\"]}}";
        String cfgHex = Digest.sha256(config.getBytes()).hex();
        Map<String, byte[]> e = new HashMap<>();
        e.put(cfgHex + ".json", config.getBytes());
        e.put("abc/layer.tar", TarBuilder.gzip(layer));
        e.put("manifest.json", ("[{\"Config\":\"" + cfgHex + ".json\",\"RepoTags\":[\"x:y\"],\"Layers\":[\"abc/layer.tar\"]}]").getBytes());
        LocalImageService s = svc(root);
        assertThat(s.load(new ByteArrayInputStream(TarBuilder.gzip(tar(e))), null)).containsExactly("Loaded image: x:y");
        assertThat(s.get("x:y").id()).isEqualTo("sha256:" + cfgHex);
        assertThat(s.get("x:y").config().cmd()).containsExactly("f");

        // a layer that does not match its diff id is rejected and leaves nothing
        e.put("abc/layer.tar", new TarBuilder().file("f", "tampered").build());
        LocalImageService t = svc(root.resolve("t"));
        assertThatThrownBy(() -> t.load(new ByteArrayInputStream(tar(e)), null)).hasMessageContaining("does not match its diff id");
        assertThat(t.list()).isEmpty();
        assertThat(t.snapshots.list()).isEmpty();
        assertThat(t.content.list()).isEmpty();
    }

    @Test
    void storeReopensAfterRestart() {
        LocalImageService s = svc(root);
        String id = s.importRootfs(rootfs("a"), "busybox", List.of(), "", "").id();
        s.prepareContainerLayer("c", id);
        LocalImageService again = svc(root);
        assertThat(again.get("busybox").id()).isEqualTo(id);
        assertThat(again.containerLayerMounts("c")).isEqualTo(s.containerLayerMounts("c"));
    }

    static Map<String, byte[]> untar(byte[] tar) throws IOException {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (!e.isDirectory()) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return out;
    }

    static byte[] tar(Map<String, byte[]> entries) {
        TarBuilder b = new TarBuilder();
        entries.forEach((k, v) -> b.file(k, v, 0100644));
        return b.build();
    }

    static Stream<Path> walk(Path p) throws IOException {
        return Files.walk(p);
    }
}
