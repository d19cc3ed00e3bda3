package dev.berth.cli;

import dev.berth.client.Hijacked;
import dev.berth.client.StdFrames;
import java.io.FileInputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Pumps a hijacked connection: stdin to the engine (half-closing at EOF) on a daemon thread,
 * and the engine's output to stdout/stderr (raw for a TTY, demultiplexed otherwise) on the
 * calling thread, until the engine closes the stream.
 */
final class AttachIO {
    private AttachIO() {}

    static void pump(Hijacked h, boolean stdin, PrintStream out, PrintStream err) {
        if (stdin) {
            Thread t = new Thread(() -> copyStdin(h), "stdin-pump");
            t.setDaemon(true);
            t.start();
        }
        try {
            if (h.tty()) {
                InputStream in = h.output();
                byte[] buf = new byte[32 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } else {
                StdFrames.demux(h.output(), out, err);
            }
        } catch (IOException e) {
            // connection closed: the stream is over
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static void copyStdin(Hijacked h) {
        // Read fd 0 directly: System.in's buffering would hold back bytes of an interactive session.
        try (InputStream in = new FileInputStream(FileDescriptor.in)) {
            OutputStream o = h.stdin();
            byte[] buf = new byte[32 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                o.write(buf, 0, n);
                o.flush();
            }
        } catch (IOException e) {
            // engine went away or stdin failed; half-close below
        }
        h.closeWrite();
    }
}
