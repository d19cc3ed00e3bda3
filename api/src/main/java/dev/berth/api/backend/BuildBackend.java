package dev.berth.api.backend;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /build} with the classic builder ({@code version=1}). The backend reads the build
 * context (a tar, possibly compressed) and writes dockerd's JSON messages to {@code out}
 * ({@code {"stream":…}}, {@code {"aux":{"ID":…}}}, pull progress). Errors before any message are
 * thrown (the router turns them into an HTTP error); errors after output has started are written
 * in-band as {@code {"errorDetail":{"code":N,"message":…},"error":…}} and the call returns normally.
 * Thread-safe: builds may run concurrently.
 */
public interface BuildBackend {
    /**
     * @param context the request body
     * @param query the raw query parameters (t, dockerfile, q, nocache, pull, rm, forcerm, target,
     *     buildargs, labels, networkmode, platform, memory, … as dockerd reads them)
     * @param registryConfig the {@code X-Registry-Config} header (base64 JSON of auth configs), or null
     * @param out where the messages go
     */
    void build(InputStream context, Map<String, List<String>> query, String registryConfig, MessageSink out);

    /** {@code POST /build/prune}: removes the build cache; returns the bytes reclaimed. */
    default long prune() {
        return 0;
    }
}
