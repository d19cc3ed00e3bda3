package dev.berth.http;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import tools.jackson.databind.JsonNode;

/** The Netty-backed {@link HttpExchange}. Response methods run on the handler's virtual thread. */
final class NettyExchange implements HttpExchange {
    private static final System.Logger LOG = System.getLogger(NettyExchange.class.getName());

    enum State { OPEN, DONE, STREAMING, HIJACKED }

    private final ConnectionHandler connection;
    private final Channel channel;
    private final HttpRequest request;
    private final String path;
    private final ApiVersion version;
    private final QueryStringDecoder query;
    private final BodyInputStream body;
    private final boolean keepAlive;
    private final Map<String, String> defaultHeaders;
    private final HttpHeaders extraHeaders = new DefaultHttpHeaders();
    private Map<String, String> pathParams = Map.of();
    private volatile State state = State.OPEN;
    private volatile boolean clientGone;
    private volatile boolean abortConnection;
    private ChannelOutputStream stream;
    private HijackedConnection hijacked;

    NettyExchange(ConnectionHandler connection, Channel channel, HttpRequest request, QueryStringDecoder query, String path,
            ApiVersion version, BodyInputStream body, Map<String, String> defaultHeaders) {
        this.connection = connection;
        this.channel = channel;
        this.request = request;
        this.query = query;
        this.path = path;
        this.version = version;
        this.body = body;
        this.keepAlive = io.netty.handler.codec.http.HttpUtil.isKeepAlive(request);
        this.defaultHeaders = defaultHeaders;
    }

    void setPathParams(Map<String, String> params) {
        this.pathParams = params;
    }

    BodyInputStream bodyStream() {
        return body;
    }

    boolean keepAlive() {
        return keepAlive && !abortConnection;
    }

    State state() {
        return state;
    }

    void markClientGone() {
        clientGone = true;
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public ApiVersion apiVersion() {
        return version;
    }

    @Override
    public String pathParam(String name) {
        return pathParams.get(name);
    }

    @Override
    public String query(String name) {
        List<String> v = query.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    @Override
    public List<String> queryAll(String name) {
        return query.parameters().getOrDefault(name, List.of());
    }

    @Override
    public Map<String, List<String>> queryParams() {
        return query.parameters();
    }

    @Override
    public boolean queryBool(String name, boolean defaultValue) {
        String v = query(name);
        if (v == null) {
            return defaultValue;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        return !(s.isEmpty() || s.equals("0") || s.equals("no") || s.equals("false") || s.equals("none"));
    }

    @Override
    public Integer queryInt(String name) {
        String v = query(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid value for %s: %s", name, v);
        }
    }

    @Override
    public String header(String name) {
        return request.headers().get(name);
    }

    @Override
    public boolean isUpgradeRequest() {
        return request.headers().contains(HttpHeaderNames.UPGRADE);
    }

    @Override
    public InputStream body() {
        return body;
    }

    @Override
    public <T> T readJson(Class<T> type) throws IOException {
        byte[] bytes = body.readAllBytes();
        if (isBlank(bytes)) {
            return null;
        }
        checkJsonContentType(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
        return Json.mapper().readValue(bytes, type);
    }

    @Override
    public JsonNode readJsonTree() throws IOException {
        byte[] bytes = body.readAllBytes();
        if (isBlank(bytes)) {
            return null;
        }
        checkJsonContentType(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
        return Json.mapper().readTree(bytes);
    }

    /**
     * dockerd's rule for a request with a body: its media type must be {@code application/json}
     * (parameters such as a charset are fine; a missing header is not).
     */
    static void checkJsonContentType(String contentType) {
        String ct = contentType == null ? "" : contentType;
        int semi = ct.indexOf(';');
        String mediaType = (semi < 0 ? ct : ct.substring(0, semi)).strip();
        if (!mediaType.equalsIgnoreCase("application/json")) {
            throw BerthException.invalid("Content-Type specified (%s) must be 'application/json'", ct);
        }
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void setHeader(String name, String value) {
        if (state != State.OPEN) {
            throw new IllegalStateException("response already committed");
        }
        extraHeaders.set(name, value);
    }

    private void commit(State next) {
        if (state != State.OPEN) {
            throw new IllegalStateException("response already committed (" + state + ")");
        }
        state = next;
    }

    private void addHeaders(HttpResponse r) {
        defaultHeaders.forEach((k, v) -> r.headers().set(k, v));
        r.headers().add(extraHeaders);
    }

    @Override
    public void respondJson(int status, Object value) {
        byte[] json = Json.mapper().writeValueAsBytes(value);
        byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
        withNewline[json.length] = '\n';
        respondBytes(status, "application/json", withNewline);
    }

    @Override
    public void respond(int status) {
        commit(State.DONE);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        addHeaders(r);
        if (status != 204 && status != 304 && (status >= 200)) {
            r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        }
        finishHead(r);
        channel.writeAndFlush(r);
    }

    @Override
    public void respondBytes(int status, String contentType, byte[] bytes) {
        commit(State.DONE);
        boolean head = request.method().equals(HttpMethod.HEAD);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
        addHeaders(r);
        if (contentType != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        finishHead(r);
        channel.writeAndFlush(r);
    }

    private void finishHead(HttpResponse r) {
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    @Override
    public OutputStream respondStream(int status, String contentType) {
        commit(State.STREAMING);
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        addHeaders(r);
        if (contentType != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        finishHead(r);
        stream = new ChannelOutputStream(channel, true);
        channel.writeAndFlush(r);
        return stream;
    }

    @Override
    public OutputStream respondStream(int status, String contentType, long contentLength) {
        commit(State.STREAMING);
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        addHeaders(r);
        if (contentType != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        finishHead(r);
        // With a Content-Length and no Transfer-Encoding, Netty writes the contents unframed; for a
        // HEAD request the server codec drops them.
        stream = new ChannelOutputStream(channel, true);
        channel.writeAndFlush(r);
        return stream;
    }

    @Override
    public Hijacked hijack(String contentType) throws IOException {
        commit(State.HIJACKED);
        boolean upgrade = isUpgradeRequest();
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                upgrade ? new HttpResponseStatus(101, "UPGRADED") : HttpResponseStatus.OK);
        addHeaders(r);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (upgrade) {
            r.headers().set(HttpHeaderNames.CONNECTION, "Upgrade");
            r.headers().set(HttpHeaderNames.UPGRADE, "tcp");
        }
        BodyInputStream in = connection.newRawInput();
        try {
            channel.eventLoop().submit(() -> connection.switchToRaw(r, in)).get();
        } catch (ExecutionException e) {
            throw new IOException("cannot hijack the connection", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while hijacking the connection");
        }
        hijacked = new HijackedConnection(channel, in, new ChannelOutputStream(channel, false));
        return hijacked;
    }

    @Override
    public boolean isCommitted() {
        return state != State.OPEN;
    }

    @Override
    public boolean isClientGone() {
        return clientGone || !channel.isActive();
    }

    /** Turns a handler failure into a response, or aborts the connection if one was started. */
    void fail(Throwable t) {
        int status = ErrorStatus.of(t);
        if (state == State.OPEN) {
            if (status == 500) {
                LOG.log(System.Logger.Level.WARNING, "request " + method() + " " + request.uri() + " failed", t);
            }
            if (status == 304) {
                respond(304);
            } else {
                respondJson(status, Map.of("message", ErrorStatus.message(t)));
            }
        } else {
            LOG.log(System.Logger.Level.DEBUG, "request " + method() + " " + request.uri() + " failed after the response started", t);
            abortConnection = true;
        }
    }

    /** Completes whatever the handler left open. Called on the handler thread after it returns. */
    void finish() {
        switch (state) {
            case OPEN -> respond(204);
            case STREAMING -> {
                if (abortConnection) {
                    stream.abandon();
                } else {
                    try {
                        stream.close();
                    } catch (IOException e) {
                        abortConnection = true;
                    }
                }
            }
            case HIJACKED -> {
                try {
                    hijacked.close();
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "closing hijacked connection", e);
                }
            }
            case DONE -> { }
        }
    }

    /** A small text for a request log line. */
    @Override
    public String toString() {
        return method() + " " + request.uri();
    }
}
