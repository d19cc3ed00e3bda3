package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.common.Digest;
import dev.berth.oci.Mount;
import dev.berth.sys.fs.FileOps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Needs root and overlayfs: imports a busybox rootfs, saves and reloads it, and mounts container
 * layers for real (via the mount command; the test cleans up its mounts).
 */
class LocalImageServiceIT {
    @TempDir Path tmp;

    private static byte[] busyboxRootfs() {
        TarBuilder b = new TarBuilder().dir("bin").file("bin/busybox", Path.of("/bin/busybox"), 0100755);
        for (String applet : List.of("sh", "ls", "cat", "echo")) {
            b.symlink("bin/" + applet, "busybox");
        }
        return b.dir("etc").file("etc/hostname", "berth\n").dir("tmp").build();
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private static void mount(Mount m, Path target) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("mount", "-t", m.type(), "-o", String.join(",", m.options()), m.source(), target.toString()));
        if (m.type().equals("bind")) {
            cmd = List.of("mount", "--rbind", m.source(), target.toString());
        }
        run(cmd.toArray(String[]::new));
    }

    @Test
    void importSaveLoadRoundTripAndOverlayMount() throws Exception {
        LocalImageService a = new LocalImageService(tmp.resolve("a"));
        LocalImage img = a.importRootfs(new ByteArrayInputStream(TarBuilder.gzip(busyboxRootfs())), "btimg-busybox",
                List.of("CMD [\"sh\"]"), "", "");
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        a.save(List.of("btimg-busybox:latest"), saved);

        LocalImageService b = new LocalImageService(tmp.resolve("b"));
        assertThat(b.load(new ByteArrayInputStream(saved.toByteArray()), null)).containsExactly("Loaded image: btimg-busybox:latest");
        LocalImage loaded = b.get("btimg-busybox");
        assertThat(loaded.id()).isEqualTo(img.id());
        assertThat(loaded.diffIds()).isEqualTo(img.diffIds());
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        b.save(List.of("btimg-busybox"), again);
        assertThat(Digest.sha256(again.toByteArray())).isEqualTo(Digest.sha256(saved.toByteArray()));

        List<Mount> mounts = b.prepareContainerLayer("btimgctr1", loaded.id());
        assertThat(mounts).singleElement().satisfies(m -> assertThat(m.type()).isEqualTo("overlay"));
        Path target = Files.createDirectory(tmp.resolve("rootfs"));
        mount(mounts.getFirst(), target);
        try {
            assertThat(Files.isSymbolicLink(target.resolve("bin/sh"))).isTrue();
            assertThat(target.resolve("etc/hostname")).hasContent("berth");
            Files.writeString(target.resolve("tmp/new"), "12345");
            Files.delete(target.resolve("etc/hostname"));
            run("chroot", target.toString(), "/bin/sh", "-c", "echo ok > /tmp/ran");
        } finally {
            run("umount", target.toString());
        }
        Path upper = b.containerLayerUpperDir("btimgctr1");
        assertThat(upper.resolve("tmp/new")).hasContent("12345");
        // overlayfs recorded the delete as a whiteout device in the upper dir
        assertThat((Integer) Files.getAttribute(upper.resolve("etc/hostname"), "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000)
                .isEqualTo(FileOps.S_IFCHR);
        assertThat(b.containerLayerSize("btimgctr1")).isEqualTo(5 + 3);
        b.removeContainerLayer("btimgctr1");
        assertThat(b.remove("btimg-busybox", false, false, x -> false)).hasSize(3);
        assertThat(b.snapshots.list()).isEmpty();
    }

    @Test
    void whiteoutsAndOpaqueDirsHideLowerContent() throws Exception {
        byte[] l1 = new TarBuilder().dir("d").file("d/gone", "1").file("d/kept", "2").dir("o").file("o/old", "3").build();
        byte[] l2 = new TarBuilder().dir("d").file("d/.wh.gone", "").dir("o").file("o/.wh..wh..opq", "").file("o/new", "4").build();
        String d1 = Digest.sha256(l1).toString();
        String d2 = Digest.sha256(l2).toString();
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + d1 + "\",\"" + d2 + "\"]}}";
        String cfgHex = Digest.sha256(config.getBytes()).hex();
        Map<String, byte[]> archive = new java.util.LinkedHashMap<>();
        archive.put("l1.tar", l1);
        archive.put("l2.tar.gz", TarBuilder.gzip(l2));
        archive.put(cfgHex + ".json", config.getBytes());
        archive.put("manifest.json", ("[{\"Config\":\"" + cfgHex + ".json\",\"RepoTags\":null,\"Layers\":[\"l1.tar\",\"l2.tar.gz\"]}]").getBytes());
        LocalImageService s = new LocalImageService(tmp.resolve("w"));
        assertThat(s.load(new ByteArrayInputStream(LocalImageServiceTest.tar(archive)), null))
                .containsExactly("Loaded image ID: sha256:" + cfgHex);
        List<Mount> mounts = s.prepareContainerLayer("btimgctr2", "sha256:" + cfgHex);
        Path target = Files.createDirectory(tmp.resolve("rootfs2"));
        mount(mounts.getFirst(), target);
        try {
            assertThat(target.resolve("d/gone")).doesNotExist();
            assertThat(target.resolve("d/kept")).hasContent("2");
            assertThat(target.resolve("o/old")).doesNotExist();
            assertThat(target.resolve("o/new")).hasContent("4");
        } finally {
            run("umount", target.toString());
        }
        s.removeContainerLayer("btimgctr2");
    }
}
