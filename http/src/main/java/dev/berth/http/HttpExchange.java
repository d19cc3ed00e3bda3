package dev.berth.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One request and its response, as a handler sees it. Not thread-safe: used by the handler's
 * thread (a hijacked connection's input may be read on another thread). Exactly one of the
 * {@code respond*}/{@link #hijack} methods may be called; they commit the response. The default
 * headers (Api-Version, Server, …) are added to every response.
 */
public interface HttpExchange {
    String method();

    /** The decoded path without the {@code /v1.NN} prefix, e.g. {@code /containers/json}. */
    String path();

    /** The version from the URL prefix, or the server's maximum when the URL had none. */
    ApiVersion apiVersion();

    /** A path parameter of the matched route; null when the route has no such parameter. */
    String pathParam(String name);

    /** The first value of a query parameter, or null when absent. */
    String query(String name);

    /** All values of a repeated query parameter (empty when absent). */
    List<String> queryAll(String name);

    /** All query parameters. */
    Map<String, List<String>> queryParams();

    /**
     * Docker's boolean query semantics: absent gives {@code defaultValue}; "", "0", "no",
     * "false" and "none" (any case) are false; anything else is true.
     */
    boolean queryBool(String name, boolean defaultValue);

    /** An integer query parameter; null when absent or empty; not a number is INVALID_ARGUMENT. */
    Integer queryInt(String name);

    /** A request header, or null. */
    String header(String name);

    /** True when the client asked to upgrade the connection ({@code Upgrade} header present). */
    boolean isUpgradeRequest();

    /** The request body, streamed with back-pressure; empty when there is none. */
    InputStream body();

    /** Reads the whole body as JSON. Returns null for an empty body; malformed JSON is INVALID_ARGUMENT. */
    <T> T readJson(Class<T> type) throws IOException;

    /** Reads the whole body as a JSON tree; null for an empty body. */
    JsonNode readJsonTree() throws IOException;

    /** Adds a response header; only before the response is committed. */
    void setHeader(String name, String value);

    /** A complete JSON response ({@code Content-Type: application/json}). */
    void respondJson(int status, Object body);

    /** A response without a body (204, 304, 201, or 200 with an empty body). */
    void respond(int status);

    /** A complete response with the given bytes. */
    void respondBytes(int status, String contentType, byte[] body);

    /**
     * Starts a chunked response and sends its headers at once. Each {@code flush()} of the
     * returned stream sends what was written; {@code close()} ends the response. Writes throw
     * {@link IOException} once the client is gone.
     */
    OutputStream respondStream(int status, String contentType);

    /**
     * Starts a response of exactly {@code contentLength} bytes (a {@code Content-Length} header,
     * no chunking) and sends its headers at once; the handler must write exactly that many bytes
     * and {@code close()} the stream. For a HEAD request nothing written is sent. Used where
     * clients need the length, e.g. registry blob downloads and their HEAD probes.
     * Added for the registry module (additive; implementations other than Netty may not support it).
     */
    default OutputStream respondStream(int status, String contentType, long contentLength) {
        throw new UnsupportedOperationException("fixed-length responses are not supported by " + getClass().getName());
    }

    /**
     * Takes over the connection: answers {@code 101 UPGRADED} with {@code Connection: Upgrade},
     * {@code Upgrade: tcp} and the content type when the client asked to upgrade, else a bare
     * {@code 200 OK} with the content type; after that bytes flow raw in both directions.
     */
    Hijacked hijack(String contentType) throws IOException;

    /** True once a response has been started. */
    boolean isCommitted();

    /** True once the client has disconnected (or half-closed a non-hijacked connection). */
    boolean isClientGone();
}
