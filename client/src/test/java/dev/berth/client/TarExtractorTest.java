package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarExtractorTest {
    /** One ustar header (plus body) for {@code name}; type '0' file, '2' symlink, '5' directory. */
    private static void entry(ByteArrayOutputStream out, String name, char type, String link, byte[] body) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", body.length));
        put(h, 136, "00000000000");
        h[156] = (byte) type;
        put(h, 157, link);
        put(h, 257, "ustar");
        h[263] = '0';
        h[264] = '0';
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        out.writeBytes(h);
        out.writeBytes(body);
        out.writeBytes(new byte[(512 - body.length % 512) % 512]);
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    @Test
    void renamesTheCopiedTopEntry(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        entry(tar, "etc", '5', "", new byte[0]);
        entry(tar, "etc/hostname", '0', "", "box\n".getBytes(StandardCharsets.US_ASCII));
        tar.writeBytes(new byte[1024]);
        long n = TarExtractor.extract(new ByteArrayInputStream(tar.toByteArray()), dir, TarExtractor.archiveTopName("/etc/"), "copy");
        assertThat(n).isEqualTo(4);
        assertThat(Files.readString(dir.resolve("copy/hostname"))).isEqualTo("box\n");
    }

    @Test
    void refusesToWriteThroughAPlantedSymlink(@TempDir Path dir) throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path dest = Files.createDirectories(dir.resolve("dest"));
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        entry(tar, "a", '2', outside.toString(), new byte[0]);
        entry(tar, "a/passwd", '0', "", "root::0:0::/:/bin/sh\n".getBytes(StandardCharsets.US_ASCII));
        tar.writeBytes(new byte[1024]);
        assertThatThrownBy(() -> TarExtractor.extract(new ByteArrayInputStream(tar.toByteArray()), dest, null, null))
                .hasMessageContaining("through a symlink");
        assertThat(outside.resolve("passwd")).doesNotExist();
    }

    @Test
    void archiveTopNames() {
        assertThat(TarExtractor.archiveTopName("/a/b")).isEqualTo("b");
        assertThat(TarExtractor.archiveTopName("a/b/")).isEqualTo("b");
        assertThat(TarExtractor.archiveTopName("/a/b/.")).isEqualTo(".");
        assertThat(TarExtractor.archiveTopName("/")).isEqualTo("/");
    }
}
