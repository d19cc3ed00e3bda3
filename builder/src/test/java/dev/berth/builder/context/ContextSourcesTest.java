package dev.berth.builder.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.builder.ignore.DockerIgnore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextSourcesTest {
    private final MapBuildContext ctx = TestContexts.of(
            "a.png", "A", "b.png", "B", "c.txt", "C", "index.js", "J", "index.ts", "T", "arr[0].txt", "0",
            "src/", null, "src/x/b.txt", "bx", "src/a.txt", "sa", "docs/README.md", "r");

    private List<String> paths(String source) {
        return new ContextSources(ctx).resolve(source).stream().map(ContextEntry::path).toList();
    }

    @Test
    void wildcardsUseFilepathMatch() {
        assertThat(paths("*.png")).containsExactly("a.png", "b.png");
        assertThat(paths("index.?s")).containsExactly("index.js", "index.ts");
        assertThat(paths("arr[[]0].txt")).containsExactly("arr[0].txt");
        assertThat(paths("src/*/*.txt")).containsExactly("src/x/b.txt");
        assertThat(paths("*")).hasSize(8);
    }

    @Test
    void plainPathsAreCleanedIntoTheContext() {
        assertThat(paths("../../c.txt")).containsExactly("c.txt");
        assertThat(paths("/src/")).containsExactly("src");
        assertThat(paths(".")).containsExactly("");
    }

    @Test
    void missingSources() {
        assertThatThrownBy(() -> paths("nope.txt")).hasMessage(
                "file not found in build context or excluded by .dockerignore: stat nope.txt: file does not exist");
        assertThatThrownBy(() -> paths("*.gif")).hasMessage("no source files were specified");
    }

    @Test
    void expandListsEverythingBelow() {
        ContextSources s = new ContextSources(ctx);
        assertThat(s.expand(s.resolve("src")).stream().map(ContextEntry::path))
                .containsExactly("src", "src/a.txt", "src/x", "src/x/b.txt");
    }

    @Test
    void checksumStableAndSensitive() {
        ContextSources s = new ContextSources(ctx);
        String base = s.checksum(s.resolve("src"));
        assertThat(new ContextSources(TestContexts.of("src/", null, "src/x/b.txt", "bx", "src/a.txt", "sa"))
                .checksum(s.resolve("src"))).isEqualTo(base);
        MapBuildContext changed = TestContexts.of("src/", null, "src/x/b.txt", "bX", "src/a.txt", "sa");
        assertThat(new ContextSources(changed).checksum(new ContextSources(changed).resolve("src"))).isNotEqualTo(base);
        MapBuildContext chmod = TestContexts.withMeta(ctx, "src/a.txt", 0755, 0, 0);
        assertThat(new ContextSources(chmod).checksum(new ContextSources(chmod).resolve("src"))).isNotEqualTo(base);
        MapBuildContext chown = TestContexts.withMeta(ctx, "src/a.txt", 0644, 1000, 1000);
        assertThat(new ContextSources(chown).checksum(new ContextSources(chown).resolve("src"))).isNotEqualTo(base);
        // unrelated files do not matter
        assertThat(s.checksum(s.resolve("src"))).isEqualTo(base);
    }

    @Test
    void dockerignoreHidesFiles() {
        FilteredBuildContext f = new FilteredBuildContext(ctx, DockerIgnore.matcher("*.png\nsrc\n!src/a.txt\n"));
        assertThat(f.entries().stream().map(ContextEntry::path)).doesNotContain("a.png", "src/x", "src/x/b.txt")
                .contains("src", "src/a.txt", "c.txt");
        assertThat(f.stat("a.png")).isEmpty();
        ContextSources s = new ContextSources(f);
        assertThatThrownBy(() -> s.resolve("b.png")).hasMessageContaining("excluded by .dockerignore");
    }

    @Test
    void tarContextWithGzipAndMetadata(@TempDir Path tmp) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            TarArchiveEntry d = new TarArchiveEntry("./app/");
            d.setMode(040750);
            tar.putArchiveEntry(d);
            tar.closeArchiveEntry();
            byte[] content = "hello".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry f = new TarArchiveEntry("app/run.sh");
            f.setMode(0100755);
            f.setSize(content.length);
            f.setIds(1000, 1001);
            tar.putArchiveEntry(f);
            tar.write(content);
            tar.closeArchiveEntry();
            TarArchiveEntry l = new TarArchiveEntry("app/link", TarArchiveEntry.LF_SYMLINK);
            l.setLinkName("run.sh");
            tar.putArchiveEntry(l);
            tar.closeArchiveEntry();
            TarArchiveEntry h = new TarArchiveEntry("hard", TarArchiveEntry.LF_LINK);
            h.setLinkName("app/run.sh");
            tar.putArchiveEntry(h);
            tar.closeArchiveEntry();
            TarArchiveEntry evil = new TarArchiveEntry("../../etc/evil");
            evil.setSize(1);
            tar.putArchiveEntry(evil);
            tar.write('x');
            tar.closeArchiveEntry();
        }
        Path scratch = tmp.resolve("scratch");
        try (TarBuildContext c = TarBuildContext.read(new ByteArrayInputStream(bytes.toByteArray()), scratch)) {
            assertThat(c.entries().stream().map(ContextEntry::path)).containsExactly("app", "app/link", "app/run.sh",
                    "etc", "etc/evil", "hard");
            ContextEntry run = c.stat("app/run.sh").orElseThrow();
            assertThat(run.mode()).isEqualTo(0755);
            assertThat(run.uid()).isEqualTo(1000);
            assertThat(run.gid()).isEqualTo(1001);
            assertThat(c.stat("app").orElseThrow().mode()).isEqualTo(0750);
            assertThat(c.stat("app/link").orElseThrow().linkTarget()).isEqualTo("run.sh");
            try (InputStream in = c.open("hard")) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
            }
        }
        assertThat(Files.exists(scratch)).isFalse();
    }

    @Test
    void directoryContext(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("d"));
        Files.writeString(tmp.resolve("d/f.txt"), "x");
        try (DirectoryBuildContext c = DirectoryBuildContext.of(tmp)) {
            assertThat(c.entries().stream().map(ContextEntry::path)).containsExactly("d", "d/f.txt");
            assertThat(c.stat("d/f.txt").orElseThrow().size()).isEqualTo(1);
            try (InputStream in = c.open("d/f.txt")) {
                assertThat(in.readAllBytes()).containsExactly('x');
            }
        }
    }
}
