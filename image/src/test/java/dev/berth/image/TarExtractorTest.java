package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.BerthException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The escape corpus: every crafted archive must stay inside the target directory. */
class TarExtractorTest {
    private static final TarExtractor.Options LAYER_NO_OWNER = new TarExtractor.Options(true, false);
    @TempDir Path tmp;
    Path root;
    Path outside;
    FakeFileOps ops = new FakeFileOps();

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectory(tmp.resolve("root"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("victim"), "original");
    }

    private TarExtractor.Result extract(byte[] tar) throws IOException {
        return new TarExtractor(ops).extract(Decompressor.open(new ByteArrayInputStream(tar)), root, LAYER_NO_OWNER);
    }

    private void assertOutsideUntouched() throws IOException {
        try (var s = Files.list(outside)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("victim");
        }
        assertThat(Files.readString(outside.resolve("victim"))).isEqualTo("original");
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("root", "outside");
        }
    }

    @Test
    void dotDotEscapeFails() throws IOException {
        assertThatThrownBy(() -> extract(new TarBuilder().file("../evil", "x").build()))
                .isInstanceOf(BerthException.class).hasMessageContaining("path escapes the target directory");
        assertThatThrownBy(() -> extract(new TarBuilder().file("a/../../outside/victim", "x").build()))
                .hasMessageContaining("path escapes the target directory");
        assertOutsideUntouched();
    }

    @Test
    void absoluteNamesAreMadeRelative() throws IOException {
        extract(new TarBuilder().file("/abs/file", "x").file("./rel", "y").build());
        assertThat(root.resolve("abs/file")).hasContent("x");
        assertThat(root.resolve("rel")).hasContent("y");
    }

    @Test
    void absoluteSymlinkParentIsResolvedInsideRoot() throws IOException {
        extract(new TarBuilder().symlink("link", outside.toString()).file("link/evil", "x").build());
        assertOutsideUntouched();
        assertThat(SafePaths.join(root, SafePaths.clean(outside.toString())).resolve("evil")).hasContent("x");
    }

    @Test
    void relativeSymlinkClimbingOutIsClampedAtRoot() throws IOException {
        extract(new TarBuilder().dir("a").symlink("a/up", "../../../../..").file("a/up/evil", "x").build());
        assertOutsideUntouched();
        assertThat(root.resolve("evil")).hasContent("x");
    }

    @Test
    void fileReplacesSymlinkInsteadOfFollowingIt() throws IOException {
        extract(new TarBuilder().symlink("s", outside.resolve("victim").toString()).file("s", "pwned").build());
        assertOutsideUntouched();
        assertThat(Files.isSymbolicLink(root.resolve("s"))).isFalse();
        assertThat(root.resolve("s")).hasContent("pwned");
    }

    @Test
    void hardlinkOutsideFails() throws IOException {
        assertThatThrownBy(() -> extract(new TarBuilder().hardlink("h", "../outside/victim").build()))
                .hasMessageContaining("invalid hardlink");
        assertThatThrownBy(() -> extract(new TarBuilder().hardlink("h", outside.resolve("victim").toString()).build()))
                .hasMessageContaining("invalid hardlink");
        assertThatThrownBy(() -> extract(new TarBuilder().symlink("d", outside.toString()).hardlink("h", "d/victim").build()))
                .hasMessageContaining("invalid hardlink");
        assertOutsideUntouched();
        assertThat(root.resolve("h")).doesNotExist();
    }

    @Test
    void hardlinkInsideWorks() throws IOException {
        extract(new TarBuilder().file("a", "data").hardlink("b", "a").build());
        assertThat(Files.getAttribute(root.resolve("b"), "unix:ino")).isEqualTo(Files.getAttribute(root.resolve("a"), "unix:ino"));
    }

    @Test
    void keepsModesSymlinksAndSizes() throws IOException {
        TarExtractor.Result r = extract(new TarBuilder().dir("bin").file("bin/tool", new byte[10], 0100750)
                .symlink("bin/sh", "tool").file("etc/conf", "abc").build());
        assertThat(r.size()).isEqualTo(13);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("bin/tool")))).isEqualTo("rwxr-x---");
        assertThat(Files.readSymbolicLink(root.resolve("bin/sh")).toString()).isEqualTo("tool");
        assertThat(root.resolve("etc/conf")).hasContent("abc");
    }

    @Test
    void whiteoutsBecomeOverlayWhiteouts() throws IOException {
        extract(new TarBuilder().dir("d").file("d/.wh.gone", "").file("d/keep", "k").file("o/.wh..wh..opq", "").build());
        assertThat(ops.nodes).containsExactly(root.resolve("d/gone") + " 20000 0:0");
        assertThat(ops.xattrs).containsKey(root.resolve("o") + " trusted.overlay.opaque");
        assertThat(root.resolve("d/.wh.gone")).doesNotExist();
    }

    @Test
    void gzipIsDetected() throws IOException {
        extract(TarBuilder.gzip(new TarBuilder().file("z", "zz").build()));
        assertThat(root.resolve("z")).hasContent("zz");
    }

    @Test
    void plainModeKeepsWhiteoutNamesAndSkipsDevices() throws IOException {
        new TarExtractor(ops).extract(new ByteArrayInputStream(new TarBuilder().file(".wh.x", "").build()), root,
                TarExtractor.Options.PLAIN);
        assertThat(root.resolve(".wh.x")).exists();
        assertThat(ops.nodes).isEmpty();
        assertThat(Files.exists(root.resolve("x"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
}
