package dev.berth.api.backend;

import java.io.InputStream;

/**
 * A client connection taken over for attach or exec (after {@code 101 UPGRADED}). {@link #stdin()}
 * yields what the client sends and reaches EOF when the client half-closes its side;
 * {@link #output()} carries the container's output back. The backend returns from the call that
 * received this object when the session ends (process exit, detach keys, or client gone); the
 * server then closes the connection.
 *
 * <p>The upgrade itself is lazy: the server answers {@code 101 UPGRADED} only when the backend
 * calls {@link #ready()} (or first touches a stream). A backend must call it once its session is
 * registered, because a client such as {@code docker run} starts the container as soon as it sees
 * the 101: registering first is what guarantees that no output is lost. Failures thrown before
 * {@code ready()} still reach the client as an ordinary HTTP error.
 */
public interface HijackedStreams {
    /** Commits the upgrade (idempotent). */
    default void ready() throws java.io.IOException {}

    /** Client-to-container bytes; null when the client did not ask for stdin. */
    InputStream stdin();

    OutputSink output();
}
