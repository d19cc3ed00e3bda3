package dev.berth.distribution;

import com.github.luben.zstd.ZstdInputStream;
import dev.berth.common.Digest;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/** Layer blob helpers: decompression by magic bytes, digest-verifying streams, foreign layers. Pure utility. */
public final class Layers {
    private static final Set<String> FOREIGN = Set.of(
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd");

    private Layers() {}

    /** True for foreign (non-distributable) layers, which pulls skip and pushes do not upload. */
    public static boolean isForeign(String mediaType) {
        return mediaType != null && FOREIGN.contains(mediaType);
    }

    /**
     * Wraps a layer blob so it reads as an uncompressed tar: gzip and zstd are recognised by
     * their magic bytes (a media type can lie), anything else is passed through.
     */
    public static InputStream decompress(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 64 << 10);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(in, 64 << 10);
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            return new ZstdInputStream(in);
        }
        return in;
    }

    /**
     * A stream that hashes what passes through and, at end of stream, throws an IOException when
     * the content does not match {@code expected} (null expected: no check).
     */
    public static InputStream verifying(InputStream in, Digest expected) {
        return new VerifyingInputStream(in, expected);
    }

    private static final class VerifyingInputStream extends FilterInputStream {
        private final MessageDigest md = Digest.newSha256();
        private final Digest expected;
        private boolean checked;

        VerifyingInputStream(InputStream in, Digest expected) {
            super(in);
            this.expected = expected;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                check();
            } else {
                md.update((byte) b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
                check();
            } else {
                md.update(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[8192];
            long done = 0;
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void check() throws IOException {
            if (checked || expected == null) {
                return;
            }
            checked = true;
            Digest actual = Digest.ofSha256(md);
            if (!actual.equals(expected)) {
                throw new IOException("layer content verification failed: expected diff id " + expected + ", got " + actual);
            }
        }
    }
}
