package dev.berth.api.backend;

import java.io.IOException;

/**
 * Where container output goes: a log response, an attach or an exec stream. The server decides
 * the framing (raw for TTY, 8-byte multiplexed headers otherwise); backends only say which
 * stream each chunk belongs to. Writes block while the client is slow (back-pressure). A write
 * after the client went away throws {@link IOException}; the backend then stops producing.
 * Not thread-safe: one producer thread at a time, or callers synchronize.
 */
public interface OutputSink {
    void write(StdStream stream, byte[] data, int offset, int length) throws IOException;

    void flush() throws IOException;

    /** True once the client has gone away. */
    boolean isClosed();
}
