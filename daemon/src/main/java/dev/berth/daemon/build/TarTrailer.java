package dev.berth.daemon.build;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Completes a tar stream that ends without its last record padding and end-of-archive blocks.
 * The docker CLI sends such contexts when it adds a Dockerfile from outside the context
 * ({@code docker build -f ../Dockerfile .}, {@code docker build - < Dockerfile} with a context):
 * its tar rewriter closes the pipe before the tar writer. Go's tar reader accepts that; so do we,
 * by appending zeros up to the next 512-byte boundary plus two zero blocks at EOF. Extra zeros
 * after a complete archive are never read. Not thread-safe (one reader).
 */
final class TarTrailer extends FilterInputStream {
    private long count;
    private long padLeft = -1;

    TarTrailer(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        byte[] b = new byte[1];
        int n = read(b, 0, 1);
        return n < 0 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (padLeft < 0) {
            int n = in.read(b, off, len);
            if (n >= 0) {
                count += n;
                return n;
            }
            padLeft = (512 - count % 512) % 512 + 1024;
        }
        if (padLeft == 0) {
            return -1;
        }
        int n = (int) Math.min(len, padLeft);
        java.util.Arrays.fill(b, off, off + n, (byte) 0);
        padLeft -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 8192)];
        int r = read(buf, 0, buf.length);
        return Math.max(r, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
