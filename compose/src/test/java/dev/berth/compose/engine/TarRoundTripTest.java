package dev.berth.compose.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.client.TarExtractor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void treeRoundTripsWithRenameAndLongNames() throws Exception {
        Path src = dir.resolve("src");
        String longName = "d".repeat(60) + "/" + "f".repeat(80) + ".txt";
        Files.createDirectories(src.resolve(longName).getParent());
        Files.writeString(src.resolve(longName), "long");
        Files.writeString(src.resolve("a.txt"), "A");
        Files.createSymbolicLink(src.resolve("link"), Path.of("a.txt"));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(buf)) {
            w.addAs(src, "src");
        }
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        TarExtractor.extract(new ByteArrayInputStream(buf.toByteArray()), out, "src", "renamed");
        assertThat(Files.readString(out.resolve("renamed/a.txt"))).isEqualTo("A");
        assertThat(Files.readString(out.resolve("renamed/" + longName))).isEqualTo("long");
        assertThat(Files.readSymbolicLink(out.resolve("renamed/link"))).isEqualTo(Path.of("a.txt"));
    }

    @Test
    void buildContextHonoursDockerignore() throws Exception {
        Path ctx = dir.resolve("ctx");
        Files.createDirectories(ctx.resolve("node_modules/x"));
        Files.writeString(ctx.resolve("node_modules/x/y.js"), "1");
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\n");
        Files.writeString(ctx.resolve("keep.txt"), "k");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(buf)) {
            w.addTree(ctx, List.of("node_modules", "*.md"));
        }
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        TarExtractor.extract(new ByteArrayInputStream(buf.toByteArray()), out, null, null);
        assertThat(out.resolve("Dockerfile")).exists();
        assertThat(out.resolve("keep.txt")).exists();
        assertThat(out.resolve("node_modules")).doesNotExist();
    }

    @Test
    void refusesEntriesOutsideTheTarget() throws Exception {
        Path evil = dir.resolve("evil.txt");
        Files.writeString(evil, "x");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(buf)) {
            w.addAs(evil, "../../escape.txt");
        }
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        assertThatThrownBy(() -> TarExtractor.extract(new ByteArrayInputStream(buf.toByteArray()), out, null, null))
                .hasMessageContaining("outside the target");
    }
}
