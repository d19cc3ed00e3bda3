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
        pump(h, stdin, null, out, err);
    }

    /** Default detach keys, as docker: ctrl-p, ctrl-q. */
    static final byte[] DEFAULT_DETACH = {16, 17};

    /**
     * Parses docker's detach-key syntax ({@code ctrl-p,ctrl-q}, {@code a}, {@code ctrl-@}); null
     * gives the default, empty string disables.
     */
    static byte[] detachSequence(String keys) {
        if (keys == null) {
            return DEFAULT_DETACH;
        }
        if (keys.isEmpty()) {
            return null;
        }
        String[] parts = keys.split(",");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String k = parts[i].trim().toLowerCase();
            if (k.length() == 1) {
                out[i] = (byte) k.charAt(0);
            } else if (k.startsWith("ctrl-") && k.length() == 6) {
                char c = k.charAt(5);
                out[i] = (byte) (c == '@' ? 0 : c >= 'a' && c <= 'z' ? c - 'a' + 1
                        : c == '[' ? 27 : c == '\\' ? 28 : c == ']' ? 29 : c == '^' ? 30 : c == '_' ? 31 : -1);
                if (out[i] == -1) {
                    throw dev.berth.common.BerthException.invalid("Invalid detach keys (%s) provided", keys);
                }
            } else {
                throw dev.berth.common.BerthException.invalid("Invalid detach keys (%s) provided", keys);
            }
        }
        return out;
    }

    /**
     * Pumps until the stream ends; returns true when the user typed the {@code detach} sequence
     * (then the connection is closed and the caller must not wait for the container).
     */
    static boolean pump(Hijacked h, boolean stdin, byte[] detach, PrintStream out, PrintStream err) {
        boolean[] detached = {false};
        if (stdin) {
            Thread t = new Thread(() -> {
                copyStdin(h, detach, detached);
            }, "stdin-pump");
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
        return detached[0];
    }

    private static void copyStdin(Hijacked h, byte[] detach, boolean[] detached) {
        // Read fd 0 directly: System.in's buffering would hold back bytes of an interactive session.
        try (InputStream in = new FileInputStream(FileDescriptor.in)) {
            OutputStream o = h.stdin();
            byte[] buf = new byte[32 * 1024];
            int n;
            int matched = 0;
            while ((n = in.read(buf)) > 0) {
                if (detach != null) {
                    // Hold back a partial detach sequence; send it on if the next byte breaks it.
                    java.io.ByteArrayOutputStream send = new java.io.ByteArrayOutputStream(n);
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == detach[matched]) {
                            matched++;
                            if (matched == detach.length) {
                                detached[0] = true;
                                o.write(send.toByteArray());
                                o.flush();
                                h.close();
                                return;
                            }
                        } else {
                            send.write(detach, 0, matched);
                            matched = 0;
                            if (buf[i] == detach[0]) {
                                matched = 1;
                            } else {
                                send.write(buf[i]);
                            }
                        }
                    }
                    o.write(send.toByteArray());
                } else {
                    o.write(buf, 0, n);
                }
                o.flush();
            }
        } catch (IOException e) {
            // engine went away or stdin failed; half-close below
        }
        h.closeWrite();
    }
}
