package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whiteout conversion and change detection without root: "whiteouts" are empty mode-000 files here. */
class LayerTarWriterTest {
    private static final Predicate<LayerTarWriter.Attrs> FAKE_WHITEOUT =
            a -> a.type() == LayerTarWriter.S_IFREG && (a.mode() & 07777) == 0 && a.size() == 0;

    @TempDir
    Path tmp;

    private Path whiteout(Path p) throws Exception {
        Files.createFile(p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
        return p;
    }

    @Test
    void convertsWhiteoutsOpaqueDirsAndHardLinks() throws Exception {
        FakeFileOps ops = new FakeFileOps();
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/new"), "hello");
        ops.setXattr(upper.resolve("etc"), "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
        whiteout(upper.resolve("gone"));
        Files.createDirectories(upper.resolve("a"));
        Files.writeString(upper.resolve("a/b"), "x");
        Files.createLink(upper.resolve("a/c"), upper.resolve("a/b"));
        Files.createSymbolicLink(upper.resolve("link"), Path.of("/etc/new"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LayerTarWriter(ops, FAKE_WHITEOUT).write(upper, out);

        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                String d = e.getName();
                if (e.isLink()) {
                    d += " link-> " + e.getLinkName();
                } else if (e.isSymbolicLink()) {
                    d += " -> " + e.getLinkName();
                } else if (e.isFile()) {
                    d += " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                names.add(d.strip());
            }
        }
        assertThat(names).containsExactly("a/", "a/b x", "a/c link-> a/b", "etc/", "etc/.wh..wh..opq", "etc/new hello",
                ".wh.gone", "link -> /etc/new");
    }

    @Test
    void changesAreAddedModifiedOrDeleted() throws Exception {
        FakeFileOps ops = new FakeFileOps();
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.createDirectories(lower.resolve("etc"));
        Files.writeString(lower.resolve("etc/hosts"), "old");
        Files.writeString(lower.resolve("gone"), "bye");
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/hosts"), "new");
        Files.writeString(upper.resolve("etc/added"), "a");
        Files.createDirectories(upper.resolve("newdir/sub"));
        whiteout(upper.resolve("gone"));

        List<ImageService.Change> changes = LayerChanges.compute(upper, new ImageTree(List.of(lower), ops), FAKE_WHITEOUT);
        assertThat(changes.stream().map(c -> c.kind().name().charAt(0) + " " + c.path()).toList()).containsExactly(
                "M /etc", "A /etc/added", "M /etc/hosts", "D /gone", "A /newdir", "A /newdir/sub");
    }

    @Test
    void imageTreeHonoursOpaqueDirectories() throws Exception {
        FakeFileOps ops = new FakeFileOps();
        Path low = Files.createDirectories(tmp.resolve("low/d"));
        Files.writeString(low.resolve("old"), "1");
        Path top = Files.createDirectories(tmp.resolve("top/d"));
        Files.writeString(top.resolve("new"), "2");
        ops.setXattr(top, "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
        ImageTree t = new ImageTree(List.of(tmp.resolve("top"), tmp.resolve("low")), ops);
        assertThat(t.list("/d")).containsExactly("new");
        assertThat(t.resolve("/d/old")).isEmpty();
        assertThat(t.readString("/d/new")).contains("2");
        assertThat(t.isDirectory("/d")).isTrue();
    }

    @Test
    void runtimeMountPointsAreNotChanges() throws Exception {
        FakeFileOps ops = new FakeFileOps();
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.createDirectories(lower.resolve("etc"));
        Files.writeString(lower.resolve("etc/passwd"), "root");
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Files.createDirectories(upper.resolve("etc"));
        Files.createFile(upper.resolve("etc/hosts"));
        Files.createFile(upper.resolve("etc/resolv.conf"));
        Files.createFile(upper.resolve(".dockerenv"));
        Files.writeString(upper.resolve("new"), "n");
        ImageTree tree = new ImageTree(List.of(lower), ops);
        List<ImageService.Change> changes = LayerChanges.compute(upper, tree, FAKE_WHITEOUT,
                (p, a) -> RuntimeMounts.skip(upper, p, a, tree) || RuntimeMounts.copiedUpForMounts(upper, p, a, tree));
        assertThat(changes).containsExactly(new ImageService.Change("/new", ImageService.ChangeKind.ADDED));
    }

    @Test
    void realPathFollowsSymlinksInsideTheImage() throws Exception {
        Path l = Files.createDirectories(tmp.resolve("l/usr/bin"));
        Files.writeString(l.resolve("sh"), "x");
        Files.createSymbolicLink(tmp.resolve("l/bin"), Path.of("usr/bin"));
        Files.createSymbolicLink(tmp.resolve("l/usr/abs"), Path.of("/usr/../../usr/bin"));
        ImageTree t = new ImageTree(List.of(tmp.resolve("l")), new FakeFileOps());
        assertThat(t.realPath("/bin/sh")).isEqualTo("/usr/bin/sh");
        assertThat(t.realPath("/bin/new/dir")).isEqualTo("/usr/bin/new/dir");
        assertThat(t.realPath("/usr/abs")).isEqualTo("/usr/bin");
        assertThat(t.isDirectory("/bin")).isTrue();
        assertThat(t.readString("/bin/sh")).contains("x");
    }
}
