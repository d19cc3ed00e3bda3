package dev.berth.api.backend;

import java.io.InputStream;

/**
 * A client connection taken over for attach or exec (after {@code 101 UPGRADED}). {@link #stdin()}
 * yields what the client sends and reaches EOF when the client half-closes its side;
 * {@link #output()} carries the container's output back. The backend returns from the call that
 * received this object when the session ends (process exit, detach keys, or client gone); the
 * server then closes the connection.
 */
public interface HijackedStreams {
    /** Client-to-container bytes; null when the client did not ask for stdin. */
    InputStream stdin();

    OutputSink output();
}
