package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlaySnapshotterTest {
    @TempDir Path root;

    @Test
    void prepareCommitAndStackAsOverlay() {
        OverlaySnapshotter sn = new OverlaySnapshotter(root);
        List<Mount> base = sn.prepare("extract-1", null);
        assertThat(base).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo("bind");
            assertThat(m.source()).isEqualTo(root.resolve("snapshots/1/fs").toString());
        });
        sn.commit("sha256:a", "extract-1");
        sn.prepare("extract-2", "sha256:a");
        sn.commit("sha256:b", "extract-2");
        List<Mount> ctr = sn.prepare("ctr-x", "sha256:b");
        assertThat(ctr).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo("overlay");
            assertThat(m.options()).contains(
                    "lowerdir=" + root.resolve("snapshots/2/fs") + ":" + root.resolve("snapshots/1/fs"),
                    "upperdir=" + root.resolve("snapshots/3/fs"),
                    "workdir=" + root.resolve("snapshots/3/work"));
        });
        assertThat(sn.mounts("ctr-x")).isEqualTo(ctr);
        assertThatThrownBy(() -> sn.mounts("sha256:a")).hasMessageContaining("committed");
        assertThatThrownBy(() -> sn.remove("sha256:b")).hasMessageContaining("children");
        assertThatThrownBy(() -> sn.prepare("ctr-x", "sha256:b")).hasMessageContaining("already exists");
        assertThatThrownBy(() -> sn.prepare("y", "nope")).hasMessageContaining("does not exist");
    }

    @Test
    void metadataSurvivesReopenAndOrphansAreSwept() throws IOException {
        OverlaySnapshotter sn = new OverlaySnapshotter(root);
        sn.prepare("k", null);
        sn.commit("c", "k");
        Files.createDirectories(root.resolve("snapshots/99/fs"));
        Files.createDirectories(root.resolve(".tmp-new-x/fs"));
        OverlaySnapshotter again = new OverlaySnapshotter(root);
        assertThat(again.stat("c")).isPresent();
        assertThat(root.resolve("snapshots/99")).doesNotExist();
        assertThat(root.resolve(".tmp-new-x")).doesNotExist();
        again.remove("c");
        assertThat(new OverlaySnapshotter(root).list()).isEmpty();
        assertThat(root.resolve("snapshots/1")).doesNotExist();
    }

    @Test
    void usageCountsOwnFiles() throws IOException {
        OverlaySnapshotter sn = new OverlaySnapshotter(root);
        sn.prepare("k", null);
        Files.write(sn.upperDir("k").resolve("f"), new byte[1000]);
        Files.createLink(sn.upperDir("k").resolve("g"), sn.upperDir("k").resolve("f"));
        assertThat(sn.usage("k")).isEqualTo(1000);
    }

    @Test
    void viewsAreReadOnly() {
        OverlaySnapshotter sn = new OverlaySnapshotter(root);
        sn.prepare("k", null);
        sn.commit("c", "k");
        assertThat(sn.view("v", "c")).singleElement().satisfies(m -> assertThat(m.options()).contains("ro"));
    }

    @Test
    void layersUnpackedOutOfOrderAreStackedAtCommit() {
        OverlaySnapshotter sn = new OverlaySnapshotter(root);
        sn.prepare("extract-top", null);
        sn.prepare("extract-base", null);
        assertThatThrownBy(() -> sn.commit("sha256:b", "extract-top", "sha256:a")).hasMessageContaining("does not exist");
        sn.commit("sha256:a", "extract-base", null);
        sn.commit("sha256:b", "extract-top", "sha256:a");
        assertThat(sn.stat("sha256:b")).get().satisfies(i -> assertThat(i.parent()).isEqualTo("sha256:a"));
        assertThat(sn.hasChildren("sha256:a")).isTrue();
        sn.prepare("k", "sha256:b");
        assertThatThrownBy(() -> sn.commit("x", "k", "sha256:a")).hasMessageContaining("already has parent");
        assertThat(new OverlaySnapshotter(root).stat("sha256:b")).get().satisfies(i -> assertThat(i.parent()).isEqualTo("sha256:a"));
    }
}
