package dev.berth.client;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;

/**
 * A typed Engine API client. Each call opens its own connection, so one client may be used from
 * many threads at once. Errors from the engine become {@link BerthException}s carrying the
 * engine's message and the {@link ErrorKind} of the HTTP status. The API version is negotiated
 * on first use ({@code HEAD /_ping}), capped at {@link #MAX_API_VERSION}.
 *
 * <pre>{@code
 * try (var client = BerthClient.fromEnv()) {
 *     String id = client.containers().create("web", config, hostConfig, null).id();
 *     client.containers().start(id);
 * }
 * }</pre>
 */
public final class BerthClient implements AutoCloseable {
    /** The highest API version this client speaks. */
    public static final String MAX_API_VERSION = "1.50";

    private final EngineAddress address;
    private final TlsConfig tls;
    private volatile String apiVersion;

    public BerthClient(EngineAddress address, String apiVersion) {
        this(address, apiVersion, null);
    }

    /** A client that speaks TLS to a TCP engine when {@code tls} is not null. */
    public BerthClient(EngineAddress address, String apiVersion, TlsConfig tls) {
        this.address = address;
        this.apiVersion = apiVersion;
        this.tls = tls;
    }

    /**
     * A client for {@code host} (null: BERTH_HOST, DOCKER_HOST, default socket); version
     * negotiated; TLS from DOCKER_TLS_VERIFY / DOCKER_TLS / DOCKER_CERT_PATH for TCP hosts.
     */
    public static BerthClient connect(String host) {
        return connect(host, TlsConfig.fromEnv(System.getenv()));
    }

    /** As {@link #connect(String)} with explicit TLS settings (null: plain). */
    public static BerthClient connect(String host, TlsConfig tls) {
        return new BerthClient(EngineAddress.resolve(host, System.getenv()), System.getenv("BERTH_API_VERSION"), tls);
    }

    public static BerthClient fromEnv() {
        return connect(null);
    }

    public EngineAddress address() {
        return address;
    }

    public SystemApi system() {
        return new SystemApi(this);
    }

    public ContainersApi containers() {
        return new ContainersApi(this);
    }

    public ExecApi exec() {
        return new ExecApi(this);
    }

    public ImagesApi images() {
        return new ImagesApi(this);
    }

    public VolumesApi volumes() {
        return new VolumesApi(this);
    }

    public NetworksApi networks() {
        return new NetworksApi(this);
    }

    /** The API version in use, negotiating it if needed. */
    public String apiVersion() {
        String v = apiVersion;
        if (v == null) {
            Ping p = system().ping();
            String server = p.apiVersion();
            v = server == null || compare(server, MAX_API_VERSION) > 0 ? MAX_API_VERSION : server;
            apiVersion = v;
        }
        return v;
    }

    /** Compares dotted versions numerically ("1.9" &lt; "1.10"). */
    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? Integer.parseInt(x[i]) : 0;
            int q = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    // ---- transport ------------------------------------------------------------------------

    /** Sends a request to an unversioned path; the caller checks the status and closes the reply. */
    public HttpResponse rawCall(String method, String pathAndQuery, Map<String, String> headers, Object body) {
        HttpConnection conn = HttpConnection.open(address, tls);
        try {
            conn.send(method, pathAndQuery, headers, body);
            return conn.receive(method);
        } catch (IOException e) {
            conn.close();
            throw new BerthException(ErrorKind.UNAVAILABLE, "error during connect to " + address + ": " + e.getMessage(), e);
        }
    }

    /** Sends a versioned request and throws BerthException on any status ≥ 400. */
    HttpResponse call(String method, String path, Query query, Map<String, String> headers, Object body) {
        String target = "/v" + apiVersion() + path + (query == null ? "" : query.toString());
        HttpResponse r = rawCall(method, target, headers == null ? Map.of() : headers, body);
        if (r.status() >= 400) {
            throw toException(r);
        }
        return r;
    }

    /**
     * A versioned GET returning the raw reply body, for callers that decode it themselves (the
     * CLI's start-up fast path avoids initialising Jackson). Engine errors throw as usual.
     */
    public byte[] getBytes(String path, Query query) {
        try (HttpResponse r = call("GET", path, query, null, null)) {
            return r.body().readAllBytes();
        } catch (IOException e) {
            throw new BerthException(ErrorKind.UNAVAILABLE, "error reading the engine's reply: " + e.getMessage(), e);
        }
    }

    HttpResponse call(String method, String path, Query query) {
        return call(method, path, query, null, null);
    }

    /** Sends {@code body} as JSON and closes the reply. */
    void exchange(String method, String path, Query query, Object jsonBody) {
        call(method, path, query, jsonHeaders(jsonBody), jsonBytes(jsonBody)).close();
    }

    <T> T json(String method, String path, Query query, Object jsonBody, Class<T> type) {
        return json(method, path, query, jsonBody, Json.mapper().constructType(type));
    }

    <T> T json(String method, String path, Query query, Object jsonBody, JavaType type) {
        try (HttpResponse r = call(method, path, query, jsonHeaders(jsonBody), jsonBytes(jsonBody))) {
            return Json.mapper().readValue(r.body(), type);
        }
    }

    JsonNode tree(String method, String path, Query query) {
        try (HttpResponse r = call(method, path, query)) {
            return Json.mapper().readTree(r.body());
        }
    }

    static JavaType listOf(Class<?> element) {
        return Json.mapper().getTypeFactory().constructCollectionType(java.util.List.class, element);
    }

    static Map<String, String> jsonHeaders(Object body) {
        return body == null ? Map.of() : Map.of("Content-Type", "application/json");
    }

    static byte[] jsonBytes(Object body) {
        return body == null ? null : Json.mapper().writeValueAsBytes(body);
    }

    /** Opens a hijacked (101 UPGRADED) connection; an older-style 200 reply is treated the same way. */
    Hijacked hijack(String path, Query query, Object jsonBody, boolean tty) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Connection", "Upgrade");
        headers.put("Upgrade", "tcp");
        if (jsonBody != null) {
            headers.put("Content-Type", "application/json");
        }
        String target = "/v" + apiVersion() + path + (query == null ? "" : query.toString());
        HttpConnection conn = HttpConnection.open(address, tls);
        try {
            conn.send("POST", target, headers, jsonBytes(jsonBody));
            HttpResponse r = conn.receive("POST");
            if (r.status() >= 400) {
                throw toException(r);
            }
            String ct = r.header("Content-Type");
            boolean raw = ct != null ? ct.contains("raw-stream") : tty;
            return new Hijacked(conn, raw);
        } catch (IOException e) {
            conn.close();
            throw new UncheckedIOException(e);
        }
    }

    static EngineException toException(HttpResponse r) {
        String message;
        try {
            byte[] body = r.readAll();
            message = new String(body, java.nio.charset.StandardCharsets.UTF_8).trim();
            if (message.startsWith("{")) {
                JsonNode n = Json.mapper().readTree(body);
                JsonNode m = n.get("message");
                if (m != null) {
                    message = m.asString();
                }
            }
        } catch (IOException | RuntimeException e) {
            message = "";
        }
        if (message.isEmpty()) {
            message = "Error response from daemon: status " + r.status();
        }
        return new EngineException(kindOf(r.status()), r.status(), message);
    }

    static ErrorKind kindOf(int status) {
        return switch (status) {
            case 304 -> ErrorKind.NOT_MODIFIED;
            case 400 -> ErrorKind.INVALID_ARGUMENT;
            case 401 -> ErrorKind.UNAUTHORIZED;
            case 403 -> ErrorKind.FORBIDDEN;
            case 404 -> ErrorKind.NOT_FOUND;
            case 409 -> ErrorKind.CONFLICT;
            case 501 -> ErrorKind.NOT_IMPLEMENTED;
            case 503 -> ErrorKind.UNAVAILABLE;
            default -> ErrorKind.INTERNAL;
        };
    }

    static InputStream emptyIfNull(InputStream in) {
        return in == null ? InputStream.nullInputStream() : in;
    }

    @Override
    public void close() {
        // connections are per call; nothing to release
    }
}
