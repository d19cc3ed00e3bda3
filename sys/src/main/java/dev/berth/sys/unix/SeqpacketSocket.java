package dev.berth.sys.unix;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connected AF_UNIX SOCK_SEQPACKET socket (which Java's channels cannot open), e.g. conmon's
 * attach socket. Each {@link #receive} returns one packet; each {@link #send} is one packet.
 * Reads and writes may happen concurrently from two threads; {@link #close} is idempotent.
 * Blocking calls are routed through {@link Blocking} so virtual threads do not pin carriers.
 */
public final class SeqpacketSocket implements Closeable {
    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SeqpacketSocket(int fd) {
        this.fd = fd;
    }

    /** Connects to the socket at {@code path} (at most 107 bytes; use a short symlinked dir). */
    public static SeqpacketSocket connect(String path) throws IOException {
        int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_SEQPACKET | Libc.SOCK_CLOEXEC, 0);
        try {
            Libc.connectUnix(fd, path);
        } catch (IOException e) {
            Libc.close(fd);
            throw e;
        }
        return new SeqpacketSocket(fd);
    }

    /** Blocks for the next packet; returns its length, 0 at EOF (peer closed or shut down). */
    public int receive(byte[] buf) throws IOException {
        if (closed.get()) {
            return 0;
        }
        return Blocking.call(() -> Libc.read(fd, buf, 0, buf.length));
    }

    /** Sends one packet. */
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed.get()) {
            throw new IOException("socket closed");
        }
        Libc.writeFully(fd, buf, off, len, true);
    }

    /** Half-closes the write side: the peer reads EOF (conmon then closes the container's stdin). */
    public void shutdownOutput() throws IOException {
        if (!closed.get()) {
            Libc.shutdown(fd, Libc.SHUT_WR);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                // wakes a reader blocked in read(2) on another thread before the fd goes away
                Libc.shutdown(fd, Libc.SHUT_RDWR);
            } catch (IOException ignored) {
                // already disconnected
            }
            Libc.close(fd);
        }
    }
}
