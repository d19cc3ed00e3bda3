package dev.berth.http;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-connection state machine, on the event loop: one exchange at a time (later pipelined
 * requests wait in {@code pending}), request bodies fed to a {@link BodyInputStream} with
 * auto-read toggled for back-pressure, and after a hijack raw bytes instead of HTTP objects.
 * Handlers run on virtual threads from {@code executor}.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(ConnectionHandler.class.getName());
    private static final Pattern VERSION_PREFIX = Pattern.compile("^/v([0-9]+\\.[0-9]+)(/.*)?$");

    private final Router router;
    private final HttpServerConfig config;
    private final Executor executor;
    private final ChannelHandler codec;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private NettyExchange current;
    private boolean bodyReceived;
    private boolean draining;
    private boolean raw;
    private BodyInputStream rawIn;
    /** The client half-closed after a complete upgrade request, before the switch: its stream starts at EOF. */
    private boolean inputEndedBeforeRaw;

    ConnectionHandler(Router router, HttpServerConfig config, Executor executor, ChannelHandler codec) {
        this.router = router;
        this.config = config;
        this.executor = executor;
        this.codec = codec;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (raw) {
            if (msg instanceof ByteBuf b) {
                rawIn.offer(b);
            } else {
                ReferenceCountUtil.release(msg);
            }
            updateAutoRead();
            return;
        }
        if (draining && msg instanceof HttpContent c) {
            c.release();
            if (msg instanceof LastHttpContent) {
                draining = false;
            }
            return;
        }
        if (current != null) {
            if (msg instanceof HttpContent c && !bodyReceived) {
                feedBody(c);
                return;
            }
            pending.add(msg);
            updateAutoRead();
            return;
        }
        if (msg instanceof HttpRequest req) {
            if (req.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                badRequest(req.decoderResult().cause());
                return;
            }
            start(req);
            if (msg instanceof HttpContent c) {
                feedBody(c);
            }
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    private void feedBody(HttpContent c) {
        current.bodyStream().offer(c.content());
        if (c instanceof LastHttpContent) {
            bodyReceived = true;
            current.bodyStream().finish();
        }
        updateAutoRead();
    }

    private void start(HttpRequest req) {
        QueryStringDecoder qsd = new QueryStringDecoder(req.uri());
        String path = qsd.path();
        ApiVersion version = config.maxVersion();
        String versionError = null;
        Matcher m = VERSION_PREFIX.matcher(path);
        if (m.matches()) {
            path = m.group(2) == null ? "/" : m.group(2);
            version = ApiVersion.parse(m.group(1));
            if (version.compareTo(config.maxVersion()) > 0) {
                versionError = "client version " + version + " is too new. Maximum supported API version is " + config.maxVersion();
            } else if (version.compareTo(config.minVersion()) < 0) {
                versionError = "client version " + version + " is too old. Minimum supported API version is "
                        + config.minVersion() + ", please upgrade your client to a newer version";
            }
        }
        BodyInputStream body = new BodyInputStream(this::resumeLater);
        NettyExchange ex = new NettyExchange(this, ctx.channel(), req, qsd, path, version, body, config.defaultHeaders());
        current = ex;
        bodyReceived = false;
        String error = versionError;
        String routePath = path;
        executor.execute(() -> run(ex, routePath, error));
    }

    private void run(NettyExchange ex, String path, String versionError) {
        try {
            if (versionError != null) {
                throw new BerthException(ErrorKind.INVALID_ARGUMENT, versionError);
            }
            Router.Match match = router.match(ex.method(), path);
            if (match == null) {
                ex.respondJson(404, Map.of("message", "page not found"));
            } else {
                ex.setPathParams(match.params());
                match.handler().handle(ex);
            }
        } catch (Throwable t) {
            try {
                ex.fail(t);
            } catch (Throwable t2) {
                LOG.log(System.Logger.Level.WARNING, "cannot report failure of " + ex, t2);
            }
        } finally {
            try {
                ex.finish();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, "cannot finish " + ex, t);
            }
            executeOnLoop(() -> exchangeDone(ex));
        }
    }

    /** After a handler returned: keep the connection for the next request or close it. */
    private void exchangeDone(NettyExchange ex) {
        if (ex != current) {
            return;
        }
        current = null;
        ex.bodyStream().close();
        if (raw || !ex.keepAlive() || ex.isClientGone()) {
            ctx.close();
            return;
        }
        if (!bodyReceived) {
            draining = true;
        }
        while (current == null && !pending.isEmpty() && ctx.channel().isActive()) {
            channelRead(ctx, pending.poll());
        }
        updateAutoRead();
    }

    BodyInputStream newRawInput() {
        return new BodyInputStream(this::resumeLater);
    }

    /** On the event loop: sends the hijack response head, then drops the HTTP codec. */
    Void switchToRaw(HttpResponse head, BodyInputStream in) {
        ctx.channel().writeAndFlush(head);
        raw = true;
        rawIn = in;
        // Bytes the decoder already buffered are handed to channelRead (now raw) on removal.
        ctx.pipeline().remove(codec);
        if (inputEndedBeforeRaw) {
            rawIn.finish();
        }
        for (Object msg : pending) {
            ReferenceCountUtil.release(msg);
        }
        pending.clear();
        updateAutoRead();
        return null;
    }

    private void resumeLater() {
        executeOnLoop(this::updateAutoRead);
    }

    private void executeOnLoop(Runnable task) {
        try {
            ctx.channel().eventLoop().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the server is shutting down; the connection goes with it
        }
    }

    private void updateAutoRead() {
        if (!ctx.channel().isActive()) {
            return;
        }
        boolean want;
        if (raw) {
            want = !rawIn.isFull();
        } else if (current == null) {
            want = pending.isEmpty();
        } else if (!bodyReceived) {
            want = !current.bodyStream().isFull();
        } else {
            // Not reading while a response is produced keeps pipelined requests out of the
            // decoder (and out of a hijacked stream's first bytes). Epoll still reports hang-ups.
            want = false;
        }
        if (want && ctx.channel() instanceof DuplexChannel d && d.isInputShutdown()) {
            want = false; // nothing more to read; asking epoll for it again fails (ENOENT) and closes the channel
        }
        ctx.channel().config().setAutoRead(want);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        // A TLS client half-closes with close_notify (Go's tls.Conn.CloseWrite) instead of a TCP FIN.
        if (evt instanceof ChannelInputShutdownEvent || evt instanceof SslCloseCompletionEvent) {
            if (raw) {
                rawIn.finish();
            } else if (current != null && bodyReceived && current.isUpgradeRequest()) {
                // A client that sends its upgrade request and half-closes at once (nothing on stdin) still
                // wants the output: as dockerd, the hijacked stream starts with stdin at EOF.
                inputEndedBeforeRaw = true;
            } else if (current != null) {
                if (!bodyReceived) {
                    current.bodyStream().fail(new IOException("client closed the connection before the end of the request body"));
                }
                // An HTTP client that stops sending is gone (as Go's server treats it): end streams now.
                current.markClientGone();
                if (current.state() == NettyExchange.State.STREAMING) {
                    ctx.close();
                }
            } else {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (raw) {
            rawIn.finish();
        }
        if (current != null) {
            current.markClientGone();
            if (!bodyReceived) {
                current.bodyStream().fail(new IOException("client closed the connection before the end of the request body"));
            }
        }
        for (Object msg : pending) {
            ReferenceCountUtil.release(msg);
        }
        pending.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "connection error", cause);
        if (current != null) {
            current.markClientGone();
            if (!bodyReceived) {
                current.bodyStream().fail(new IOException("connection error", cause));
            }
        }
        ctx.close();
    }

    private void badRequest(Throwable cause) {
        String msg = "{\"message\":\"bad request: " + (cause == null ? "malformed HTTP" : cause.getMessage()).replace("\"", "'") + "\"}\n";
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                Unpooled.copiedBuffer(msg, StandardCharsets.UTF_8));
        config.defaultHeaders().forEach((k, v) -> r.headers().set(k, v));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        r.headers().set(HttpHeaderNames.CONNECTION, "close");
        ctx.channel().writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
}
