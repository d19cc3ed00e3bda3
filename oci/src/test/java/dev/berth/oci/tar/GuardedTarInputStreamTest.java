package dev.berth.oci.tar;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class GuardedTarInputStreamTest {

    /** A tar header block announcing a metadata entry of {@code size} bytes, then an endless body. */
    private static InputStream hugeHeader(char typeflag, long size) {
        byte[] h = new byte[512];
        byte[] name = "././@LongLink".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, h, 0, name.length);
        put(h, 100, "0000644", 8);
        put(h, 108, "0000000", 8);
        put(h, 116, "0000000", 8);
        put(h, 124, String.format("%011o", size), 12);
        put(h, 136, "00000000000", 12);
        h[156] = (byte) typeflag;
        put(h, 257, "ustar", 6);
        h[263] = '0';
        h[264] = '0';
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum), 7);
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'a';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'a');
                return len;
            }
        };
        return new SequenceInputStream(new ByteArrayInputStream(h), endless);
    }

    private static void put(byte[] h, int off, String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, Math.min(b.length, max));
    }

    @Test
    void refusesAHugeGnuLongNameWithoutBufferingIt() {
        assertThatThrownBy(() -> new GuardedTarInputStream(hugeHeader('L', 8L << 30)).getNextEntry())
                .isInstanceOf(IOException.class).hasMessageContaining("extended header");
    }

    @Test
    void refusesAHugePaxHeader() {
        assertThatThrownBy(() -> new GuardedTarInputStream(hugeHeader('x', 8L << 30)).getNextEntry())
                .isInstanceOf(IOException.class).hasMessageContaining("extended header");
    }

    @Test
    void ordinaryLongNamesStillWork() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String longName = "d/" + "n".repeat(300);
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            TarArchiveEntry e = new TarArchiveEntry(longName);
            e.setSize(2);
            out.putArchiveEntry(e);
            out.write("hi".getBytes(StandardCharsets.US_ASCII));
            out.closeArchiveEntry();
        }
        try (GuardedTarInputStream in = new GuardedTarInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.getNextEntry().getName()).isEqualTo(longName);
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hi");
        }
    }
}
