package dev.berth.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A blocking OutputStream onto a channel, used from a handler's virtual thread. Bytes are buffered
 * up to {@link #CHUNK} and sent on flush or when the buffer fills; as HTTP chunks in chunked mode,
 * raw after a hijack. When the channel is not writable the writer waits for its write to complete,
 * which is the back-pressure for slow clients. Not thread-safe (one writer).
 */
final class ChannelOutputStream extends OutputStream {
    static final int CHUNK = 32 << 10;

    private final Channel channel;
    private final boolean chunked;
    private ByteBuf buffer;
    private boolean closed;

    ChannelOutputStream(Channel channel, boolean chunked) {
        this.channel = channel;
        this.chunked = chunked;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        while (len > 0) {
            if (buffer == null) {
                buffer = channel.alloc().buffer(CHUNK);
            }
            int n = Math.min(len, CHUNK - buffer.readableBytes());
            buffer.writeBytes(b, off, n);
            off += n;
            len -= n;
            if (buffer.readableBytes() >= CHUNK) {
                send();
            }
        }
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        if (buffer != null && buffer.isReadable()) {
            send();
        } else {
            channel.flush();
        }
    }

    private void send() throws IOException {
        ByteBuf out = buffer;
        buffer = null;
        if (out == null || !out.isReadable()) {
            if (out != null) {
                out.release();
            }
            return;
        }
        ChannelFuture f = channel.writeAndFlush(chunked ? new DefaultHttpContent(out) : out);
        if (!channel.isWritable()) {
            try {
                f.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while writing the response");
            }
        }
        if (f.isDone() && !f.isSuccess()) {
            closed = true;
            throw new IOException("client connection closed", f.cause());
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (!channel.isActive()) {
            closed = true;
            releaseBuffer();
            throw new IOException("client connection closed");
        }
    }

    /** Flushes and, in chunked mode, ends the response. Does not close the connection. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
            if (chunked) {
                channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            }
        } finally {
            closed = true;
            releaseBuffer();
        }
    }

    /** Gives up without ending the response (after a failure mid-stream). */
    void abandon() {
        closed = true;
        releaseBuffer();
    }

    boolean isClosed() {
        return closed;
    }

    private void releaseBuffer() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }
}
