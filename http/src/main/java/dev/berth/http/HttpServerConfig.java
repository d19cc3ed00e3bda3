package dev.berth.http;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the HTTP server runs.
 *
 * @param listeners      where to accept connections (at least one)
 * @param minVersion     oldest accepted {@code /v1.NN} prefix (older is 400 "too old")
 * @param maxVersion     newest accepted prefix (newer is 400 "too new"); also the version of unversioned requests
 * @param defaultHeaders headers added to every response (Api-Version, Server, Ostype, …)
 * @param ioThreads      event-loop threads; 0 for Netty's default
 */
public record HttpServerConfig(
        List<Listener> listeners, ApiVersion minVersion, ApiVersion maxVersion, Map<String, String> defaultHeaders, int ioThreads) {
    public HttpServerConfig {
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(minVersion, "minVersion");
        Objects.requireNonNull(maxVersion, "maxVersion");
        defaultHeaders = Map.copyOf(defaultHeaders);
    }
}
