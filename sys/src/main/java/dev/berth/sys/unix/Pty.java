package dev.berth.sys.unix;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A host pseudo-terminal pair. The slave path is handed to a child process as its stdio (for
 * example {@code runc exec} in the foreground, which then proxies to the container's own pty);
 * the master is read and written here. Resizing sets the master's window size; the caller then
 * signals SIGWINCH to the child, which has no controlling terminal to receive it from.
 * Thread-safe: one reader and one writer may work concurrently.
 */
public final class Pty implements Closeable {
    private final int master;
    private int slave;
    private final String slavePath;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Pty(Libc.PtyPair p) {
        this.master = p.master();
        this.slave = p.slave();
        this.slavePath = p.slavePath();
    }

    public static Pty open(int rows, int cols) throws IOException {
        return new Pty(Libc.openpty(rows, cols));
    }

    public String slavePath() {
        return slavePath;
    }

    /** Closes our copy of the slave once the child holds it, so EOF/EIO arrives when the child exits. */
    public synchronized void closeSlave() {
        if (slave >= 0) {
            Libc.close(slave);
            slave = -1;
        }
    }

    public void resize(int rows, int cols) throws IOException {
        Libc.setWinsize(master, rows, cols);
    }

    /** Reads from the master; EIO (all slaves closed) is reported as EOF (-1). */
    public InputStream input() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                int n = read(b, 0, 1);
                return n < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (closed.get()) {
                    return -1;
                }
                try {
                    int n = Blocking.call(() -> Libc.read(master, b, off, len));
                    return n == 0 ? -1 : n;
                } catch (Libc.Errno e) {
                    if (e.errno() == 5) {
                        return -1;
                    }
                    throw e;
                }
            }
        };
    }

    public OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (closed.get()) {
                    throw new IOException("pty closed");
                }
                Libc.writeFully(master, b, off, len);
            }
        };
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeSlave();
            Libc.close(master);
        }
    }
}
