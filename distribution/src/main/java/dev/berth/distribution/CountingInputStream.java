package dev.berth.distribution;

import java.io.IOException;
import java.io.InputStream;

/** Counts bytes read and reports every 512 KiB and at the end (push progress). */
final class CountingInputStream extends java.io.FilterInputStream {
    interface Sink {
        void count(long n);
    }

    private final Sink sink;
    private long n;
    private long reported;

    CountingInputStream(InputStream in, Sink sink) {
        super(in);
        this.sink = sink;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int r = super.read(b, off, len);
        if (r > 0) {
            add(r);
        } else if (r < 0 && reported != n) {
            reported = n;
            sink.count(n);
        }
        return r;
    }

    private void add(long k) {
        n += k;
        if (n - reported >= (512 << 10)) {
            reported = n;
            sink.count(n);
        }
    }
}
