package dev.berth.server;

import dev.berth.api.backend.HijackedStreams;
import dev.berth.api.backend.MessageSink;
import dev.berth.api.backend.OutputSink;
import dev.berth.api.backend.StdStream;
import dev.berth.api.model.JsonMessage;
import dev.berth.common.Json;
import dev.berth.http.HttpExchange;
import dev.berth.http.Hijacked;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.BooleanSupplier;

/** The stream shapes routers hand to backends. Pure factory; the types are small adapters. */
final class Streams {
    static final String RAW_STREAM = "application/vnd.docker.raw-stream";
    static final String MULTIPLEXED_STREAM = "application/vnd.docker.multiplexed-stream";
    static final String JSON = "application/json";
    static final String TAR = "application/x-tar";

    private Streams() {}

    /**
     * Container output onto a byte stream: raw (TTY) or with Docker's 8-byte frame header
     * {@code [stream, 0, 0, 0, length big-endian]} before each write.
     */
    static final class FramedSink implements OutputSink {
        private final OutputStream out;
        private final boolean multiplexed;
        private final BooleanSupplier closed;

        FramedSink(OutputStream out, boolean multiplexed, BooleanSupplier closed) {
            this.out = out;
            this.multiplexed = multiplexed;
            this.closed = closed;
        }

        @Override
        public synchronized void write(StdStream stream, byte[] data, int offset, int length) throws IOException {
            if (length <= 0) {
                return;
            }
            if (multiplexed) {
                out.write(new byte[] {(byte) stream.ordinal(), 0, 0, 0,
                        (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
            }
            out.write(data, offset, length);
        }

        @Override
        public synchronized void flush() throws IOException {
            out.flush();
        }

        @Override
        public boolean isClosed() {
            return closed.getAsBoolean();
        }
    }

    record Hijack(InputStream stdin, OutputSink output) implements HijackedStreams {}

    /**
     * A hijack that happens when the backend says it is ready (see {@link HijackedStreams#ready()}),
     * so that the backend can register its session before the client sees {@code 101}.
     */
    static final class LazyHijack implements HijackedStreams {
        private final HttpExchange exchange;
        private final String contentType;
        private final boolean multiplexed;
        private final boolean wantStdin;
        private Hijacked conn;
        private OutputSink sink;

        LazyHijack(HttpExchange exchange, String contentType, boolean multiplexed, boolean wantStdin) {
            this.exchange = exchange;
            this.contentType = contentType;
            this.multiplexed = multiplexed;
            this.wantStdin = wantStdin;
        }

        @Override
        public synchronized void ready() throws IOException {
            if (conn == null) {
                conn = exchange.hijack(contentType);
                Hijacked c = conn;
                sink = new FramedSink(c.out(), multiplexed, c::isClosed);
            }
        }

        synchronized boolean upgraded() {
            return conn != null;
        }

        @Override
        public InputStream stdin() {
            if (!wantStdin) {
                return null;
            }
            upgrade();
            return conn.in();
        }

        @Override
        public OutputSink output() {
            upgrade();
            return sink;
        }

        private void upgrade() {
            try {
                ready();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /**
     * Newline-delimited JSON values as a chunked response. The response starts lazily with the
     * first value (so a backend failing before any output still gets a proper error status), or
     * eagerly via {@link #start()}.
     */
    static final class JsonLines implements MessageSink {
        private final HttpExchange exchange;
        private OutputStream out;

        JsonLines(HttpExchange exchange) {
            this.exchange = exchange;
        }

        synchronized void start() throws IOException {
            if (out == null) {
                out = exchange.respondStream(200, JSON);
                out.flush();
            }
        }

        synchronized boolean started() {
            return out != null;
        }

        @Override
        public synchronized void send(Object value) throws IOException {
            byte[] json = Json.mapper().writeValueAsBytes(value);
            if (out == null) {
                out = exchange.respondStream(200, JSON);
            }
            out.write(json);
            out.write('\n');
            out.flush();
        }

        @Override
        public boolean isClosed() {
            return exchange.isClientGone();
        }
    }

    /** Runs a progress-producing action: errors before any output are HTTP errors, after it in-band messages. */
    static void progress(HttpExchange ex, ProgressAction action) throws IOException {
        JsonLines sink = new JsonLines(ex);
        try {
            action.run(sink);
        } catch (RuntimeException e) {
            if (!sink.started()) {
                throw e;
            }
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            try {
                sink.send(JsonMessage.error(msg));
            } catch (IOException gone) {
                // the client left; nothing more to tell it
            }
        }
        if (!sink.started()) {
            sink.start();
        }
    }

    @FunctionalInterface
    interface ProgressAction {
        void run(MessageSink sink) throws IOException;
    }

    /** An OutputStream that starts a chunked response on its first write or flush. */
    static final class LazyResponse extends OutputStream {
        private final HttpExchange exchange;
        private final String contentType;
        private OutputStream out;

        LazyResponse(HttpExchange exchange, String contentType) {
            this.exchange = exchange;
            this.contentType = contentType;
        }

        private OutputStream out() {
            if (out == null) {
                out = exchange.respondStream(200, contentType);
            }
            return out;
        }

        boolean started() {
            return out != null;
        }

        @Override
        public void write(int b) throws IOException {
            out().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out().flush();
        }

        @Override
        public void close() throws IOException {
            out().close();
        }
    }
}
