package dev.berth.client;

import java.io.IOException;
import java.io.InputStream;

/** Decodes an HTTP/1.1 chunked body. Not thread-safe. Trailers are read and discarded. */
final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long chunkLeft;
    private boolean eof;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    private boolean nextChunk() throws IOException {
        if (eof) {
            return false;
        }
        if (chunkLeft == 0) {
            String line = HttpConnection.readLine(in);
            if (line != null && line.isEmpty()) {
                line = HttpConnection.readLine(in); // CRLF that ended the previous chunk
            }
            if (line == null) {
                eof = true;
                return false;
            }
            int semi = line.indexOf(';');
            String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
            chunkLeft = Long.parseLong(hex, 16);
            if (chunkLeft == 0) {
                String trailer;
                while ((trailer = HttpConnection.readLine(in)) != null && !trailer.isEmpty()) {
                    // discard trailers
                }
                eof = true;
                return false;
            }
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        byte[] b = new byte[1];
        int n = read(b, 0, 1);
        return n < 0 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!nextChunk()) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, chunkLeft));
        if (n < 0) {
            eof = true;
            return -1;
        }
        chunkLeft -= n;
        return n;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), chunkLeft);
    }
}
