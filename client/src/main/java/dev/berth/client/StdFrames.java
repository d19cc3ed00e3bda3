package dev.berth.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Docker's multiplexed stream framing: 8-byte header {@code [stream,0,0,0,len(4, big-endian)]}
 * then the payload; stream 0 stdin, 1 stdout, 2 stderr, 3 system error. Stateless utility.
 */
public final class StdFrames {
    private StdFrames() {}

    /**
     * Copies frames from {@code in} to {@code stdout}/{@code stderr} until EOF, flushing after each
     * frame. A system-error frame (3) is returned as its text, if any was seen.
     */
    public static String demux(InputStream in, OutputStream stdout, OutputStream stderr) throws IOException {
        byte[] header = new byte[8];
        byte[] buf = new byte[32 * 1024];
        String sysErr = null;
        while (true) {
            if (!readFully(in, header, 8)) {
                return sysErr;
            }
            int stream = header[0];
            long len = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            OutputStream target = switch (stream) {
                case 0, 1 -> stdout;
                case 2 -> stderr;
                default -> null;
            };
            StringBuilder err = stream == 3 ? new StringBuilder() : null;
            while (len > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, len));
                if (n < 0) {
                    return sysErr;
                }
                len -= n;
                if (target != null) {
                    target.write(buf, 0, n);
                } else if (err != null) {
                    err.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            if (target != null) {
                target.flush();
            }
            if (err != null) {
                sysErr = err.toString();
            }
        }
    }

    private static boolean readFully(InputStream in, byte[] b, int len) throws IOException {
        int off = 0;
        while (off < len) {
            int n = in.read(b, off, len - off);
            if (n < 0) {
                return false;
            }
            off += n;
        }
        return true;
    }
}
