package dev.berth.http.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately small HTTP/1.1 client over a unix socket for tests: it writes requests as raw
 * text and parses responses by hand, so tests see exactly what goes over the wire (chunking,
 * 101 UPGRADED, raw hijacked bytes, half-close).
 */
public final class RawHttpClient implements Closeable {
    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;

    /** A parsed response head plus body (null body when only the head was read). */
    public record Response(int status, String reason, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return body == null ? null : new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawHttpClient(SocketChannel channel) {
        this.channel = channel;
        this.in = Channels.newInputStream(channel);
        this.out = Channels.newOutputStream(channel);
    }

    public static RawHttpClient connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new RawHttpClient(ch);
    }

    /** One request on a fresh connection, returning the full response. */
    public static Response exchange(Path socket, String method, String path, String body) throws IOException {
        try (RawHttpClient c = connect(socket)) {
            c.send(method, path, body, Map.of());
            return c.readResponse(method.equals("HEAD"));
        }
    }

    public void send(String method, String path, String body, Map<String, String> headers) throws IOException {
        byte[] b = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: test\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        if (b != null) {
            if (headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
                sb.append("Content-Type: application/json\r\n");
            }
            sb.append("Content-Length: ").append(b.length).append("\r\n");
        }
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        if (b != null) {
            out.write(b);
        }
        out.flush();
    }

    public void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public OutputStream output() {
        return out;
    }

    public InputStream input() {
        return in;
    }

    /** Half-closes: the server sees EOF on its side. */
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    public Response readHead() throws IOException {
        String status = readLine();
        String[] parts = status.split(" ", 3);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "", headers, null);
    }

    /** Reads head and body (Content-Length, chunked, or none for 1xx/204/304/HEAD; else until EOF). */
    public Response readResponse(boolean head) throws IOException {
        Response h = readHead();
        byte[] body;
        String cl = h.header("content-length");
        if (head || h.status() == 204 || h.status() == 304 || h.status() < 200) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(h.header("transfer-encoding"))) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            for (byte[] c = readChunk(); c != null; c = readChunk()) {
                buf.write(c);
            }
            body = buf.toByteArray();
        } else if (cl != null) {
            body = in.readNBytes(Integer.parseInt(cl));
        } else {
            body = in.readAllBytes();
        }
        return new Response(h.status(), h.reason(), h.headers(), body);
    }

    public Response readResponse() throws IOException {
        return readResponse(false);
    }

    /** The next chunk of a chunked body, or null at the last (zero) chunk. */
    public byte[] readChunk() throws IOException {
        String size = readLine();
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
            for (String line = readLine(); !line.isEmpty(); line = readLine()) {
                // trailers
            }
            return null;
        }
        byte[] data = in.readNBytes(n);
        readLine();
        return data;
    }

    public String readLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed while reading a line");
            }
            if (c == '\n' && prev == '\r') {
                byte[] b = buf.toByteArray();
                return new String(b, 0, b.length - 1, StandardCharsets.ISO_8859_1);
            }
            buf.write(c);
            prev = c;
        }
    }

    /** Reads exactly n bytes. */
    public byte[] readBytes(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException("wanted " + n + " bytes, got " + b.length);
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
