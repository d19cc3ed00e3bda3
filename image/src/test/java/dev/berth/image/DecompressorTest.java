package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.Test;

class DecompressorTest {
    interface Wrap {
        OutputStream wrap(OutputStream o) throws IOException;
    }

    private static byte[] compress(byte[] data, Wrap w) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream o = w.wrap(out)) {
            o.write(data);
        }
        return out.toByteArray();
    }

    private static void roundTrip(byte[] compressed, Decompressor.Kind kind, byte[] plain) throws IOException {
        InputStream b = new java.io.BufferedInputStream(new ByteArrayInputStream(compressed));
        assertThat(Decompressor.detect(b)).isEqualTo(kind);
        assertThat(Decompressor.open(b).readAllBytes()).isEqualTo(plain);
    }

    @Test
    void detectsAndUnwrapsEveryFormat() throws IOException {
        byte[] plain = new TarBuilder().file("a", "hello").build();
        roundTrip(plain, Decompressor.Kind.NONE, plain);
        roundTrip(TarBuilder.gzip(plain), Decompressor.Kind.GZIP, plain);
        roundTrip(compress(plain, BZip2CompressorOutputStream::new), Decompressor.Kind.BZIP2, plain);
        roundTrip(compress(plain, XZCompressorOutputStream::new), Decompressor.Kind.XZ, plain);
        roundTrip(compress(plain, ZstdCompressorOutputStream::new), Decompressor.Kind.ZSTD, plain);
    }
}
