package dev.berth.image.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.sys.fs.FileOps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The crafted-path and crafted-archive corpus: nothing may be read or written outside the root. */
class ContainerFsTest {
    @TempDir
    Path tmp;
    Path root;
    Path outside;
    Path volume;

    static final FileOps NO_OPS = new FileOps() {
        @Override
        public void mknod(Path path, int mode, int major, int minor) throws IOException {
            throw new IOException("mknod not expected");
        }

        @Override
        public void setXattr(Path path, String name, byte[] value) throws IOException {
            throw new IOException("xattr not expected");
        }

        @Override
        public Optional<byte[]> getXattr(Path path, String name) {
            return Optional.empty();
        }
    };

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        volume = Files.createDirectories(tmp.resolve("volume"));
        Files.writeString(outside.resolve("secret"), "host secret");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hostname"), "box\n");
        Files.createDirectories(root.resolve("data"));
        Files.createDirectories(root.resolve("dst"));
        Files.writeString(volume.resolve("in-volume"), "vol");
    }

    ContainerFs fs(boolean readOnlyRoot, MountMapping... mounts) {
        return new ContainerFs("c1", root, readOnlyRoot, List.of(mounts), NO_OPS);
    }

    ContainerFs fs() {
        return fs(false);
    }

    // ---------- stat ----------

    @Test
    void statsFilesDirectoriesAndSymlinks() throws IOException {
        Files.createSymbolicLink(root.resolve("etc/link"), Path.of("../etc/./hostname"));
        FileStat f = fs().stat("/etc/hostname");
        assertThat(f.name()).isEqualTo("hostname");
        assertThat(f.size()).isEqualTo(4);
        assertThat(f.mode() & 0777).isEqualTo(Files.getAttribute(root.resolve("etc/hostname"), "unix:mode", LinkOption.NOFOLLOW_LINKS) instanceof Integer i ? i & 0777 : -1);
        assertThat(f.isDirectory()).isFalse();
        assertThat(fs().stat("etc").isDirectory()).isTrue();
        FileStat l = fs().stat("/etc/link");
        assertThat(l.isSymlink()).isTrue();
        assertThat(l.linkTarget()).isEqualTo("/etc/hostname");
        assertThat(fs().stat("/").name()).isEqualTo("/");
        assertThat(fs().stat("/etc/").name()).isEqualTo("etc");
        assertThat(fs().stat("/etc/.").name()).isEqualTo(".");
    }

    @Test
    void missingPathIsNotFoundWithDockersMessage() {
        assertThatThrownBy(() -> fs().stat("/nope/x"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessage("Could not find the file /nope/x in container c1");
    }

    @Test
    void dotDotAndAbsoluteSymlinksStayInsideTheRoot() throws IOException {
        // ../../outside/secret is cleaned at the container root: /outside/secret does not exist in it
        assertThatThrownBy(() -> fs().stat("../../outside/secret")).hasMessageContaining("Could not find the file");
        Files.createSymbolicLink(root.resolve("abs"), outside);
        Files.createSymbolicLink(root.resolve("rel"), Path.of("../../../../../../" + outside));
        assertThatThrownBy(() -> fs().stat("/abs/secret")).hasMessageContaining("Could not find the file");
        assertThatThrownBy(() -> fs().stat("/rel/secret")).hasMessageContaining("Could not find the file");
        // the link itself is there, and its target is reported as the container would see it
        assertThat(fs().stat("/abs").linkTarget()).isEqualTo(outside.toString());
    }

    @Test
    void symlinkLoopsFail() throws IOException {
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        assertThatThrownBy(() -> fs().stat("/a/x")).isInstanceOf(BerthException.class)
                .hasMessageContaining("too many levels of symbolic links");
    }

    // ---------- GET ----------

    @Test
    void archivesAFileUnderItsBaseName() throws IOException {
        Map<String, String> t = tarOf(fs(), "/etc/hostname");
        assertThat(t).containsExactly(Map.entry("hostname", "box\n"));
    }

    @Test
    void archivesADirectoryWithItsNameAndKeepsLinksAsLinks() throws IOException {
        Files.createSymbolicLink(root.resolve("etc/out"), outside);
        Files.createLink(root.resolve("etc/hard"), root.resolve("etc/hostname"));
        Map<String, String> t = tarOf(fs(), "/etc");
        assertThat(t.keySet()).containsExactly("etc/", "etc/hard", "etc/hostname", "etc/out");
        assertThat(t.get("etc/out")).isEqualTo("-> " + outside);
        assertThat(t.values()).doesNotContain("host secret");
        assertThat(t.get("etc/hostname")).isEqualTo("link:etc/hard");
        assertThat(tarOf(fs(), "/etc/.").keySet()).contains("./", "./hostname");
    }

    @Test
    void archiveThroughAnEscapingSymlinkNeverReadsTheHost() throws IOException {
        Files.createSymbolicLink(root.resolve("evil"), Path.of("../../../.." + outside));
        assertThatThrownBy(() -> tarOf(fs(), "/evil/")).hasMessageContaining("Could not find the file");
        assertThat(tarOf(fs(), "/evil").values()).containsExactly("-> ../../../.." + outside);
    }

    @Test
    void archiveCrossesIntoMounts() throws IOException {
        Map<String, String> t = tarOf(fs(false, new MountMapping("/data", volume, false)), "/data");
        assertThat(t).containsEntry("data/in-volume", "vol");
        Map<String, String> all = tarOf(fs(false, new MountMapping("/data", volume, false)), "/");
        assertThat(all).containsKey("./data/in-volume");
    }

    @Test
    void directorySwappedForASymlinkDuringTheWalkIsNotFollowed() throws IOException {
        Path d = Files.createDirectories(root.resolve("d/sub"));
        Files.writeString(root.resolve("d/a-first"), "x");
        Files.writeString(d.resolve("f"), "inside");
        ContainerFs fs = fs();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // After the first entry's bytes are written, swap d/sub for a link to the host directory.
        OutputStream swapping = new FilterOutputStream(bytes) {
            boolean swapped;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                super.write(b, off, len);
                swap();
            }

            @Override
            public void write(int b) throws IOException {
                super.write(b);
                swap();
            }

            void swap() throws IOException {
                if (!swapped && bytes.size() > 2048) {
                    swapped = true;
                    Files.move(d, root.resolve("moved"));
                    Files.createSymbolicLink(d, outside);
                }
            }
        };
        try {
            fs.archive("/d", swapping);
        } catch (BerthException acceptable) {
            // failing the copy is fine; leaking is not
        }
        assertThat(new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain("host secret");
    }

    // ---------- PUT ----------

    @Test
    void extractsIntoADirectory() throws IOException {
        fs().extract("/dst", tar().dir("sub").file("sub/a.txt", "A").file("b.txt", "B").in(), true, null, null);
        assertThat(root.resolve("dst/sub/a.txt")).hasContent("A");
        assertThat(root.resolve("dst/b.txt")).hasContent("B");
    }

    @Test
    void extractFollowsASymlinkDestinationInsideTheRoot() throws IOException {
        Files.createSymbolicLink(root.resolve("todst"), Path.of("/dst"));
        fs().extract("/todst", tar().file("x", "X").in(), true, null, null);
        assertThat(root.resolve("dst/x")).hasContent("X");
    }

    @Test
    void destinationMustBeAnExistingDirectory() {
        assertThatThrownBy(() -> fs().extract("/nope", tar().file("x", "X").in(), true, null, null))
                .hasMessage("Could not find the file /nope in container c1");
        assertThatThrownBy(() -> fs().extract("/etc/hostname", tar().file("x", "X").in(), true, null, null))
                .hasMessage("extraction point is not a directory");
    }

    @Test
    void escapingMemberNamesFail() {
        assertThatThrownBy(() -> fs().extract("/dst", tar().file("../../escape", "E").in(), true, null, null))
                .isInstanceOf(BerthException.class).hasMessageContaining("escapes");
        assertThat(tmp.resolve("escape")).doesNotExist();
        assertThat(root.resolve("escape")).doesNotExist();
    }

    @Test
    void absoluteMemberNamesLandInsideTheDestination() throws IOException {
        fs().extract("/dst", tar().file("/etc/abs", "A").in(), true, null, null);
        assertThat(root.resolve("dst/etc/abs")).hasContent("A");
    }

    @Test
    void symlinkMemberThenWriteThroughItStaysInTheRoot() throws IOException {
        fs().extract("/dst", tar().symlink("ln", outside.toString()).file("ln/pwned", "P")
                .symlink("up", "../../../../../../../..").file("up/pwned2", "Q").in(), true, null, null);
        assertThat(outside.resolve("pwned")).doesNotExist();
        assertThat(tmp.resolve("pwned2")).doesNotExist();
        assertThat(root.resolve(outside.toString().substring(1)).resolve("pwned")).hasContent("P");
        assertThat(root.resolve("pwned2")).hasContent("Q");
        assertThat(Files.readSymbolicLink(root.resolve("dst/ln"))).isEqualTo(outside);
    }

    @Test
    void existingEscapingSymlinkInTheDestinationIsResolvedInTheRoot() throws IOException {
        Files.createSymbolicLink(root.resolve("dst/evil"), outside);
        fs().extract("/dst", tar().file("evil/secret", "overwritten?").in(), true, null, null);
        assertThat(outside.resolve("secret")).hasContent("host secret");
    }

    @Test
    void hardlinkEscapesFail() throws IOException {
        assertThatThrownBy(() -> fs().extract("/dst", tar().hardlink("h", "../../outside/secret").in(), true, null, null))
                .hasMessageContaining("invalid hardlink");
        Files.createSymbolicLink(root.resolve("dst/toout"), outside);
        assertThatThrownBy(() -> fs().extract("/dst", tar().hardlink("h2", "toout/secret").in(), true, null, null))
                .hasMessageContaining("invalid hardlink");
        assertThat(Files.getAttribute(outside.resolve("secret"), "unix:nlink")).isEqualTo(1);
    }

    @Test
    void hardlinkInsideTheArchiveWorks() throws IOException {
        fs().extract("/dst", tar().file("a", "A").hardlink("b", "a").in(), true, null, null);
        assertThat(Files.getAttribute(root.resolve("dst/b"), "unix:nlink")).isEqualTo(2);
    }

    @Test
    void noOverwriteDirNonDirBothWays() throws IOException {
        Files.createDirectories(root.resolve("dst/adir"));
        Files.writeString(root.resolve("dst/afile"), "f");
        assertThatThrownBy(() -> fs().extract("/dst", tar().file("adir", "x").in(), true, null, null))
                .hasMessageContaining("cannot overwrite directory");
        assertThatThrownBy(() -> fs().extract("/dst", tar().dir("afile").in(), true, null, null))
                .hasMessageContaining("cannot overwrite non-directory");
        // without the flag, replacing is allowed
        fs().extract("/dst", tar().dir("afile").in(), false, null, null);
        assertThat(root.resolve("dst/afile")).isDirectory();
    }

    @Test
    void replacingADirectoryNeverDeletesThroughSymlinks() throws IOException {
        Files.createDirectories(root.resolve("dst/victim/deeper"));
        Files.createSymbolicLink(root.resolve("dst/victim/sub"), outside);
        Files.createSymbolicLink(root.resolve("dst/victim/deeper/abs"), Path.of("/"));
        fs().extract("/dst", tar().file("victim", "now a file").in(), false, null, null);
        assertThat(root.resolve("dst/victim")).hasContent("now a file");
        assertThat(outside.resolve("secret")).hasContent("host secret");
    }

    @Test
    void symlinkIntoAReadOnlyMountIsRefused() throws IOException {
        Files.createSymbolicLink(root.resolve("dst/tovol"), Path.of("/data"));
        assertThatThrownBy(() -> fs(false, new MountMapping("/data", volume, true))
                .extract("/dst", tar().file("tovol/x", "X").in(), true, null, null))
                .hasMessage("mounted volume is marked read-only");
        assertThat(volume.resolve("x")).doesNotExist();
    }

    @Test
    void readOnlyRootAndReadOnlyMountsRefuseWrites() throws IOException {
        assertThatThrownBy(() -> fs(true).extract("/dst", tar().file("x", "X").in(), true, null, null))
                .hasMessage("container rootfs is marked read-only");
        fs(true, new MountMapping("/data", volume, false)).extract("/data", tar().file("x", "X").in(), true, null, null);
        assertThat(volume.resolve("x")).hasContent("X");
        assertThatThrownBy(() -> fs(false, new MountMapping("/data", volume, true)).extract("/data", tar().file("y", "Y").in(), true, null, null))
                .hasMessage("mounted volume is marked read-only");
        assertThat(root.resolve("data/x")).doesNotExist();
    }

    @Test
    void symlinkInsideAVolumeResolvesInTheContainer() throws IOException {
        Files.createSymbolicLink(volume.resolve("back"), Path.of("/dst"));
        fs(false, new MountMapping("/data", volume, false)).extract("/data/back", tar().file("z", "Z").in(), true, null, null);
        assertThat(root.resolve("dst/z")).hasContent("Z");
    }

    @Test
    void directorySwappedForASymlinkDuringExtractionIsNotFollowed() throws IOException {
        Path sub = Files.createDirectories(root.resolve("dst/sub"));
        byte[] t = tar().file("sub/f1", "1").file("sub/f2", "2").in().readAllBytes();
        InputStream swapping = new java.io.FilterInputStream(new ByteArrayInputStream(t)) {
            long read;
            boolean swapped;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                read += Math.max(n, 0);
                if (!swapped && read > 1024) {
                    swapped = true;
                    Files.move(sub, root.resolve("moved"));
                    Files.createSymbolicLink(sub, outside);
                }
                return n;
            }
        };
        try {
            fs().extract("/dst", swapping, true, null, null);
        } catch (BerthException acceptable) {
            // refusing is fine
        }
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("secret");
        }
    }

    @Test
    void hugeHeadersAreRejectedNotBuffered() {
        // a GNU long-name entry that claims 1 TiB: must fail quickly with an error, not exhaust memory
        byte[] header = new byte[512];
        byte[] name = "././@LongLink".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, header, 0, name.length);
        octal(header, 100, 8, 0644);
        octal(header, 124, 12, 1L << 40);
        header[156] = 'L';
        System.arraycopy("ustar  \0".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 8);
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        octal(header, 148, 7, sum);
        byte[] data = new byte[512 * 4];
        System.arraycopy(header, 0, data, 0, 512);
        assertThatThrownBy(() -> fs().extract("/dst", new ByteArrayInputStream(data), true, null, null))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void streamedHugeLongNameAndPaxHeadersFailWithoutBufferingThem() {
        for (char type : new char[] {'L', 'x', 'K'}) {
            long size = 200_000_000L;
            byte[] header = new byte[512];
            byte[] name = (type == 'x' ? "PaxHeaders/x" : "././@LongLink").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, header, 0, name.length);
            octal(header, 100, 8, 0644);
            octal(header, 124, 12, size);
            header[156] = (byte) type;
            System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 8);
            java.util.Arrays.fill(header, 148, 156, (byte) ' ');
            long sum = 0;
            for (byte x : header) {
                sum += x & 0xff;
            }
            octal(header, 148, 7, sum);
            byte[] pre = ((size - 10) + " path=").getBytes(StandardCharsets.US_ASCII);
            InputStream body = new InputStream() {
                long n;

                @Override
                public int read() {
                    long i = n++;
                    if (i < 512) {
                        return header[(int) i] & 0xff;
                    }
                    if (i >= 512 + size) {
                        return -1;
                    }
                    return type == 'x' && i - 512 < pre.length ? pre[(int) (i - 512)] : 'a';
                }
            };
            assertThatThrownBy(() -> fs().extract("/dst", body, true, null, null))
                    .isInstanceOf(BerthException.class).hasMessageContaining("extended header");
        }
    }

    @Test
    void chownOptionOwnsEveryMember() throws IOException {
        int me = (Integer) Files.getAttribute(root, "unix:uid");
        int myGid = (Integer) Files.getAttribute(root, "unix:gid");
        fs().extract("/dst", tar().file("owned", "O").in(), true, me, myGid);
        assertThat(Files.getAttribute(root.resolve("dst/owned"), "unix:uid")).isEqualTo(me);
    }

    @Test
    void readSmallFileResolvesInTheRoot() throws IOException {
        Files.createSymbolicLink(root.resolve("etc/passwd"), outside.resolve("secret"));
        assertThat(fs().readSmallFile("/etc/passwd", 100)).isEmpty();
        assertThat(fs().readSmallFile("/etc/hostname", 100)).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("box\n"));
    }

    // ---------- helpers ----------

    static void octal(byte[] h, int off, int len, long v) {
        String s = String.format("%0" + (len - 1) + "o", v);
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, Math.min(b.length, len - 1));
        h[off + len - 1] = 0;
    }

    static Map<String, String> tarOf(ContainerFs fs, String path) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fs.archive(path, out);
        Map<String, String> m = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (e.isSymbolicLink()) {
                    m.put(e.getName(), "-> " + e.getLinkName());
                } else if (e.isLink()) {
                    m.put(e.getName(), "link:" + e.getLinkName());
                } else {
                    m.put(e.getName(), e.isDirectory() ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return m;
    }

    static Tar tar() {
        return new Tar();
    }

    static final class Tar {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final org.apache.commons.compress.archivers.tar.TarArchiveOutputStream out =
                new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes);
        final List<String> names = new ArrayList<>();

        Tar() {
            out.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
        }

        Tar dir(String name) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name + "/", TarArchiveEntry.LF_DIR, true);
            e.setMode(0755);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
            return this;
        }

        Tar file(String name, String content) throws IOException {
            byte[] b = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name, true);
            e.setMode(0644);
            e.setSize(b.length);
            out.putArchiveEntry(e);
            out.write(b);
            out.closeArchiveEntry();
            return this;
        }

        Tar symlink(String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
            e.setLinkName(target);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
            return this;
        }

        Tar hardlink(String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK, true);
            e.setLinkName(target);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
            return this;
        }

        InputStream in() throws IOException {
            out.finish();
            return new ByteArrayInputStream(bytes.toByteArray());
        }
    }
}
