package dev.berth.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A hijacked attach or exec connection after {@code 101 UPGRADED}: {@link #output()} carries the
 * container's output (raw when {@link #tty()}, else multiplexed frames, see {@link StdFrames}),
 * {@link #stdin()} carries bytes to the process. One thread may read while another writes.
 */
public final class Hijacked implements Closeable {
    private final HttpConnection conn;
    private final boolean tty;

    Hijacked(HttpConnection conn, boolean tty) {
        this.conn = conn;
        this.tty = tty;
    }

    /** True when the stream is raw (the process has a TTY), false when multiplexed. */
    public boolean tty() {
        return tty;
    }

    public InputStream output() {
        return conn.rawIn();
    }

    public OutputStream stdin() {
        return conn.rawOut();
    }

    /** Half-closes the connection: the engine sees EOF on the process's stdin. */
    public void closeWrite() {
        try {
            conn.shutdownOutput();
        } catch (IOException ignored) {
            // the connection is already gone
        }
    }

    @Override
    public void close() {
        conn.close();
    }
}
