package dev.berth.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * A received reply: status, headers (case-insensitive) and the decoded body stream. Closing it
 * closes the connection. Not thread-safe.
 */
public record HttpResponse(int status, Map<String, String> headers, InputStream body, Closeable connection)
        implements Closeable {

    public String header(String name) {
        return headers.get(name);
    }

    public byte[] readAll() throws IOException {
        try (this) {
            return body.readAllBytes();
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
