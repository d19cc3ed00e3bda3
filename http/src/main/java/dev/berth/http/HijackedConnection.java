package dev.berth.http;

import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** {@link Hijacked} over a channel whose HTTP codec has been removed. */
final class HijackedConnection implements Hijacked {
    private final Channel channel;
    private final BodyInputStream in;
    private final ChannelOutputStream out;
    private volatile boolean closed;

    HijackedConnection(Channel channel, BodyInputStream in, ChannelOutputStream out) {
        this.channel = channel;
        this.in = in;
        this.out = out;
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public boolean isClosed() {
        return closed || !channel.isActive();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (channel.isActive()) {
                out.close();
            }
        } finally {
            out.abandon();
            in.close();
            channel.close();
        }
    }
}
