package dev.berth.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/** Detects a stream's compression by its magic bytes (gzip, bzip2, xz, zstd, or none) and unwraps it. */
final class Decompressor {
    /** The compression a stream was found to have. */
    enum Kind { NONE, GZIP, BZIP2, XZ, ZSTD }

    private Decompressor() {}

    /** Returns a stream of the uncompressed bytes of {@code in}. */
    static InputStream open(InputStream in) throws IOException {
        BufferedInputStream b = in instanceof BufferedInputStream bis ? bis : new BufferedInputStream(in, 65536);
        return switch (detect(b)) {
            case NONE -> b;
            case GZIP -> GzipCompressorInputStream.builder().setInputStream(b).setDecompressConcatenated(true).get();
            case BZIP2 -> new BZip2CompressorInputStream(b, true);
            case XZ -> XZCompressorInputStream.builder().setInputStream(b).setDecompressConcatenated(true).get();
            case ZSTD -> new ZstdCompressorInputStream(b);
        };
    }

    /** Peeks at the first bytes; {@code in} must support mark. */
    static Kind detect(InputStream in) throws IOException {
        in.mark(8);
        byte[] m = in.readNBytes(6);
        in.reset();
        if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
            return Kind.GZIP;
        }
        if (m.length >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') {
            return Kind.BZIP2;
        }
        if (m.length >= 6 && (m[0] & 0xff) == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X' && m[4] == 'Z' && m[5] == 0) {
            return Kind.XZ;
        }
        if (m.length >= 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f && (m[3] & 0xff) == 0xfd) {
            return Kind.ZSTD;
        }
        return Kind.NONE;
    }
}
