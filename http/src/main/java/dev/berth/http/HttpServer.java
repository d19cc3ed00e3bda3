package dev.berth.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1.1 server: Netty with epoll on unix sockets and TCP (optionally TLS), several
 * listeners at once, requests dispatched through a {@link Router} to handlers on virtual threads.
 * Lifecycle: construct, {@link #start()} once (binds every listener or fails and releases what it
 * bound), {@link #stop()} once. Thread-safe.
 */
public final class HttpServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private final HttpServerConfig config;
    private final Router router;
    private final List<Channel> serverChannels = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();
    private EventLoopGroup group;
    private ChannelGroup connections;
    private ExecutorService handlers;

    public HttpServer(HttpServerConfig config, Router router) {
        this.config = config;
        this.router = router;
    }

    /** Binds all listeners. Throws {@link UncheckedIOException} when one cannot be bound. */
    public synchronized void start() {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        if (config.listeners().isEmpty()) {
            throw new IllegalArgumentException("no listeners configured");
        }
        Epoll.ensureAvailability();
        group = new MultiThreadIoEventLoopGroup(config.ioThreads(), EpollIoHandler.newFactory());
        connections = new DefaultChannelGroup("berth-http", GlobalEventExecutor.INSTANCE);
        handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("berth-http-", 0).factory());
        try {
            for (Listener l : config.listeners()) {
                serverChannels.add(bind(l));
            }
        } catch (RuntimeException | IOException e) {
            stop();
            throw e instanceof RuntimeException re ? re : new UncheckedIOException((IOException) e);
        }
    }

    private Channel bind(Listener listener) throws IOException {
        ServerBootstrap b = new ServerBootstrap().group(group)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        try {
            switch (listener) {
                case Listener.Unix u -> {
                    Path path = u.path().toAbsolutePath();
                    Files.createDirectories(path.getParent());
                    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                        throw new IOException("cannot listen on " + path + ": it is a directory");
                    }
                    Files.deleteIfExists(path); // a stale socket from an earlier run
                    b.channel(EpollServerDomainSocketChannel.class).childHandler(initializer(null));
                    Channel ch = b.bind(new DomainSocketAddress(path.toString())).sync().channel();
                    socketFiles.add(path);
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
                    LOG.log(System.Logger.Level.INFO, "API listening on unix://" + path);
                    return ch;
                }
                case Listener.Tcp t -> {
                    SslContext ssl = t.tls() == null ? null : sslContext(t.tls());
                    b.channel(EpollServerSocketChannel.class)
                            .option(ChannelOption.SO_REUSEADDR, true)
                            .childOption(ChannelOption.TCP_NODELAY, true)
                            .childHandler(initializer(ssl));
                    Channel ch = b.bind(new InetSocketAddress(t.host(), t.port())).sync().channel();
                    LOG.log(System.Logger.Level.INFO, "API listening on tcp://" + ch.localAddress() + (ssl != null ? " (TLS)" : ""));
                    return ch;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + listener, e);
        } catch (Exception e) {
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot listen on " + listener + ": " + e.getMessage(), e);
        }
    }

    private static SslContext sslContext(Listener.TlsSettings tls) throws IOException {
        SslContextBuilder b = SslContextBuilder.forServer(tls.certFile().toFile(), tls.keyFile().toFile());
        if (tls.caFile() != null) {
            b.trustManager(tls.caFile().toFile());
        }
        b.clientAuth(tls.verifyClients() ? ClientAuth.REQUIRE : ClientAuth.NONE);
        return b.build();
    }

    private ChannelInitializer<Channel> initializer(SslContext ssl) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                connections.add(ch);
                if (ssl != null) {
                    ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                }
                HttpServerCodec codec = new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(64 << 10)
                        .setMaxHeaderSize(1 << 20)
                        .setMaxChunkSize(64 << 10));
                ch.pipeline().addLast("http", codec);
                ch.pipeline().addLast("berth", new ConnectionHandler(router, config, handlers, codec));
            }
        };
    }

    /** The addresses actually bound (TCP port 0 resolved), in listener order. */
    public synchronized List<SocketAddress> boundAddresses() {
        return serverChannels.stream().map(Channel::localAddress).toList();
    }

    /** Closes listeners and connections, removes socket files. Running handlers see their client gone. */
    public synchronized void stop() {
        if (group == null) {
            return;
        }
        for (Channel ch : serverChannels) {
            ch.close().awaitUninterruptibly();
        }
        serverChannels.clear();
        connections.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        handlers.shutdownNow();
        for (Path p : socketFiles) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot remove " + p, e);
            }
        }
        socketFiles.clear();
        group = null;
    }

    @Override
    public void close() {
        stop();
    }
}
