package dev.berth.runtime;

import dev.berth.sys.unix.SeqpacketSocket;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A connection to conmon's attach socket (SOCK_SEQPACKET). Packets from conmon carry the
 * stream in their first byte (2 = stdout, 3 = stderr); packets to conmon are written to the
 * container's stdin. Closing {@link #stdin()} half-closes the socket, which conmon treats as
 * stdin EOF and closes the container's stdin (when started with {@code -i} and without
 * {@code --leave-stdin-open}). One thread may pump while another writes stdin.
 */
final class ConmonAttach implements RuntimeDriver.AttachConnection {
    static final int STDOUT = 2;
    static final int STDERR = 3;
    /** conmon reads at most its buffer size per packet; stay below it. */
    private static final int MAX_PACKET = 8192;

    private final SeqpacketSocket socket;
    private final OutputStream stdin = new OutputStream() {
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("stdin closed");
            }
            while (len > 0) {
                int n = Math.min(len, MAX_PACKET);
                socket.send(b, off, n);
                off += n;
                len -= n;
            }
        }

        @Override
        public synchronized void close() throws IOException {
            if (!closed) {
                closed = true;
                socket.shutdownOutput();
            }
        }
    };

    ConmonAttach(SeqpacketSocket socket) {
        this.socket = socket;
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public void pump(RuntimeDriver.OutputHandler handler) throws IOException {
        byte[] buf = new byte[65536];
        while (true) {
            int n = socket.receive(buf);
            if (n <= 0) {
                return;
            }
            if (n == 1) {
                continue;
            }
            int stream = buf[0];
            handler.output(stream == STDERR, buf, 1, n - 1);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
