package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.image.ContainerConfig;
import dev.berth.sys.fs.FileOps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Needs root (whiteout device nodes, trusted.* xattrs): a container layer with an added file, a
 * deleted file (overlay whiteout) and an opaque directory is diffed, committed, saved, and the
 * new image's merged view checked; the saved layer carries OCI whiteouts.
 */
class ImageCommitIT {
    @TempDir Path tmp;

    @Test
    void commitRoundTripConvertsWhiteouts() throws Exception {
        FileOps ops = FileOps.linux();
        LocalImageService s = new LocalImageService(tmp.resolve("root"), ops);
        byte[] rootfs = new TarBuilder().dir("etc").file("etc/passwd", "root\n").file("etc/gone", "bye\n")
                .dir("opt").file("opt/old", "o\n").build();
        LocalImage base = s.importRootfs(new ByteArrayInputStream(rootfs), "btcommit-base", List.of("CMD [\"sh\"]"), "", "");
        s.prepareContainerLayer("btc1", base.id());
        Path upper = s.containerLayerUpperDir("btc1");
        // what overlayfs would leave after: echo new > /new; rm /etc/gone; rm -rf /opt && mkdir /opt && touch /opt/fresh
        Files.writeString(upper.resolve("new"), "new\n");
        Files.createDirectories(upper.resolve("etc"));
        ops.mknod(upper.resolve("etc/gone"), FileOps.S_IFCHR, 0, 0);
        Files.createDirectories(upper.resolve("opt"));
        ops.setXattr(upper.resolve("opt"), "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(upper.resolve("opt/fresh"), "f\n");
        Files.createFile(upper.resolve("etc/hosts")); // a runtime mount point: never part of a diff or commit

        assertThat(s.changes("btc1").stream().map(c -> c.kind().code() + " " + c.path()).toList())
                .containsExactly("0 /etc", "2 /etc/gone", "1 /new", "0 /opt", "1 /opt/fresh");

        ContainerConfig cfg = ChangeParser.apply(s.imageConfig(base.id()).config(), List.of("ENV A=1"));
        LocalImage img = s.commit("btc1", new ImageService.CommitSpec(base.id(), cfg, "me", "msg", "sh"), "btcommit-new:v1");
        assertThat(img.repoTags()).contains("btcommit-new:v1");
        assertThat(img.diffIds()).hasSize(2);
        assertThat(img.parent()).isEqualTo(base.id());
        assertThat(img.config().env()).contains("A=1");

        ImageTree t = s.imageTree(img.id());
        assertThat(t.readString("/new")).contains("new\n");
        assertThat(t.resolve("/etc/gone")).isEmpty();
        assertThat(t.resolve("/etc/hosts")).isEmpty();
        assertThat(t.list("/opt")).containsExactly("fresh");
        assertThat(t.readString("/etc/passwd")).contains("root\n");

        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        s.save(List.of("btcommit-new:v1"), saved);
        List<String> layerNames = new ArrayList<>();
        try (TarArchiveInputStream outer = new TarArchiveInputStream(new ByteArrayInputStream(saved.toByteArray()))) {
            TarArchiveEntry e;
            String top = img.diffIds().getLast().substring(7);
            while ((e = outer.getNextEntry()) != null) {
                if (e.getName().contains(top) && e.isFile() && !e.getName().endsWith(".json")) {
                    TarArchiveInputStream inner = new TarArchiveInputStream(new ByteArrayInputStream(outer.readAllBytes()));
                    TarArchiveEntry ie;
                    while ((ie = inner.getNextEntry()) != null) {
                        layerNames.add(ie.getName());
                    }
                    break;
                }
            }
        }
        assertThat(layerNames).containsExactly("etc/", "etc/.wh.gone", "new", "opt/", "opt/.wh..wh..opq", "opt/fresh");
        s.removeContainerLayer("btc1");
    }
}
