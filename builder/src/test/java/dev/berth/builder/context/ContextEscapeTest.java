package dev.berth.builder.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.builder.exec.CopyLayout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build context must never let COPY read outside it: {@code ../} is cleaned into the context,
 * symlinks are entries of their own (copied as links, never followed to the host), and a path
 * through a symlinked directory does not exist in the context.
 */
class ContextEscapeTest {
    @TempDir
    Path tmp;

    private Path dirContext() throws IOException {
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(tmp.resolve("secret.txt"), "outside");
        Files.writeString(ctx.resolve("x"), "inside x");
        Files.createSymbolicLink(ctx.resolve("passwd-link"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(ctx.resolve("etc-dir"), Path.of("/etc"));
        Files.createSymbolicLink(ctx.resolve("up"), Path.of("../secret.txt"));
        return ctx;
    }

    private static String read(BuildContext c, String path) throws IOException {
        try (InputStream in = c.open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void directoryContextDotDotStaysInside() throws IOException {
        DirectoryBuildContext c = DirectoryBuildContext.of(dirContext());
        ContextSources s = new ContextSources(c);
        // COPY ../x and COPY ../secret.txt: cleaned against the context root, as dockerd's scoped paths
        assertThat(s.resolve("../x")).extracting(ContextEntry::path).containsExactly("x");
        assertThat(read(c, "../x")).isEqualTo("inside x");
        assertThatThrownBy(() -> s.resolve("../secret.txt")).hasMessageStartingWith("file not found in build context");
        assertThatThrownBy(() -> s.resolve("../../../../etc/passwd")).hasMessageStartingWith("file not found in build context");
        assertThatThrownBy(() -> c.open("../secret.txt")).isInstanceOf(IOException.class);
    }

    @Test
    void directoryContextSymlinksAreNotFollowed() throws IOException {
        DirectoryBuildContext c = DirectoryBuildContext.of(dirContext());
        ContextSources s = new ContextSources(c);
        ContextEntry link = s.resolve("passwd-link").getFirst();
        assertThat(link.type()).isEqualTo(ContextEntry.Type.SYMLINK);
        assertThat(link.linkTarget()).isEqualTo("/etc/passwd");
        assertThat(link.size()).isZero();
        assertThatThrownBy(() -> c.open("passwd-link")).isInstanceOf(IOException.class).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> c.open("up")).isInstanceOf(IOException.class);
        // a symlinked directory pointing outside: nothing below it exists in the context
        assertThat(s.resolve("etc-dir").getFirst().type()).isEqualTo(ContextEntry.Type.SYMLINK);
        assertThatThrownBy(() -> s.resolve("etc-dir/passwd")).hasMessageStartingWith("file not found in build context");
        assertThatThrownBy(() -> c.open("etc-dir/passwd")).isInstanceOf(IOException.class);
        assertThat(s.expand(s.resolve("etc-dir"))).extracting(ContextEntry::path).containsExactly("etc-dir");
        assertThat(s.resolve("*")).extracting(ContextEntry::path).doesNotContain("etc-dir/passwd", "secret.txt");
        // COPY etc-dir /dst and COPY passwd-link /dst copy the links themselves
        assertThat(CopyLayout.layout(s, s.resolve("passwd-link"), "/dst", false))
                .extracting(t -> t.entry().type()).containsExactly(ContextEntry.Type.SYMLINK);
    }

    @Test
    void tarContextCannotEscape() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(buf)) {
            file(tar, "../../escape.txt", "e");
            file(tar, "/abs/file.txt", "a");
            TarArchiveEntry link = new TarArchiveEntry("passwd-link", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            TarArchiveEntry dir = new TarArchiveEntry("etc-dir", TarArchiveEntry.LF_SYMLINK);
            dir.setLinkName("/etc");
            tar.putArchiveEntry(dir);
            tar.closeArchiveEntry();
            // a hard link to a host file: only earlier context files can be link targets
            TarArchiveEntry hard = new TarArchiveEntry("hard", TarArchiveEntry.LF_LINK);
            hard.setLinkName("/etc/passwd");
            tar.putArchiveEntry(hard);
            tar.closeArchiveEntry();
        }
        try (TarBuildContext c = TarBuildContext.read(new ByteArrayInputStream(buf.toByteArray()),
                Files.createDirectories(tmp.resolve("scratch")))) {
            ContextSources s = new ContextSources(c);
            assertThat(c.entries()).extracting(ContextEntry::path)
                    .containsExactlyInAnyOrder("escape.txt", "abs", "abs/file.txt", "passwd-link", "etc-dir");
            assertThat(read(c, "../escape.txt")).isEqualTo("e");
            assertThat(s.resolve("passwd-link").getFirst().type()).isEqualTo(ContextEntry.Type.SYMLINK);
            assertThatThrownBy(() -> c.open("passwd-link")).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> s.resolve("etc-dir/passwd")).hasMessageStartingWith("file not found in build context");
            assertThatThrownBy(() -> s.resolve("hard")).hasMessageStartingWith("file not found in build context");
            // the blobs live in the private scratch dir; nothing was written outside it
            assertThat(Files.exists(tmp.resolve("escape.txt"))).isFalse();
            assertThat(List.of(tmp.toFile().list())).containsExactlyInAnyOrder("scratch");
        }
    }

    private static void file(TarArchiveOutputStream tar, String name, String content) throws IOException {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, true); // preserve "../" and "/" as a hostile client would
        e.setSize(b.length);
        tar.putArchiveEntry(e);
        tar.write(b);
        tar.closeArchiveEntry();
    }
}
