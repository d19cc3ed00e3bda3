package dev.berth.api.backend;

import java.io.IOException;

/**
 * A stream of JSON values to the client (events, stats, progress messages). Each value is
 * serialized as one JSON document followed by a newline and flushed. Throws {@link IOException}
 * once the client is gone. Thread-safe: sends are serialized.
 */
public interface MessageSink {
    void send(Object value) throws IOException;

    boolean isClosed();
}
