package dev.berth.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connection taken over after {@code 101 UPGRADED} (or a bare 200 for clients that did not ask
 * to upgrade). {@link #in()} yields the client's bytes and reaches EOF when the client half-closes
 * or disconnects; {@link #out()} writes raw bytes (flush to send) and blocks while the client is
 * slow. Used by one handler thread for output; input may be read by another thread.
 * {@link #close()} (also done when the handler returns) flushes and closes the connection.
 */
public interface Hijacked extends Closeable {
    InputStream in();

    OutputStream out();

    /** True once the client has gone away or the connection was closed. */
    boolean isClosed();

    @Override
    void close() throws IOException;
}
