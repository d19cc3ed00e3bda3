package dev.berth.client;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 exchange on one socket (no keep-alive: a unix socket connect costs microseconds and
 * it keeps the codec small). After a {@code 101 UPGRADED} reply the same socket carries raw bytes
 * both ways. Reads and writes may happen on different threads at the same time (attach/exec:
 * stdin pump and output reader); anything else is single-threaded.
 */
final class HttpConnection implements Closeable {
    private final EngineAddress address;
    private final SocketChannel channel;
    private final javax.net.ssl.SSLSocket tlsSocket;
    private final InputStream in;
    private final OutputStream out;

    private HttpConnection(EngineAddress address, SocketChannel channel) {
        this.address = address;
        this.channel = channel;
        this.tlsSocket = null;
        // Own stream wrappers: Channels.newInputStream may serialise reads and writes on one lock.
        this.in = new BufferedInputStream(new ChannelIn(channel), 64 * 1024);
        this.out = new ChannelOut(channel);
    }

    private HttpConnection(EngineAddress address, javax.net.ssl.SSLSocket socket) throws IOException {
        this.address = address;
        this.channel = null;
        this.tlsSocket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
    }

    /** Opens a connection; over TLS when {@code tls} is not null (TCP addresses only). */
    static HttpConnection open(EngineAddress address, TlsConfig tls) {
        if (tls == null || !address.scheme().equals("tcp")) {
            return open(address);
        }
        try {
            java.net.InetSocketAddress a = (java.net.InetSocketAddress) address.socketAddress();
            javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) tls.context().getSocketFactory()
                    .createSocket(a.getHostString(), a.getPort());
            if (tls.verify()) {
                javax.net.ssl.SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
            }
            s.startHandshake();
            return new HttpConnection(address, s);
        } catch (IOException e) {
            throw new BerthException(ErrorKind.UNAVAILABLE,
                    "Cannot connect to the Docker daemon at " + address + " (TLS): " + e.getMessage(), e);
        }
    }

    static HttpConnection open(EngineAddress address) {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(address.scheme().equals("unix") ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET);
            ch.connect(address.socketAddress());
            return new HttpConnection(address, ch);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw new BerthException(ErrorKind.UNAVAILABLE,
                    "Cannot connect to the Docker daemon at " + address + ". Is the docker daemon running?", e);
        }
    }

    /**
     * Sends the request line, headers and body. A null body sends no body; a byte[] body is sent
     * with Content-Length; an InputStream body is sent chunked.
     */
    void send(String method, String target, Map<String, String> headers, Object body) throws IOException {
        StringBuilder sb = new StringBuilder(256);
        sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(address.hostHeader()).append("\r\n");
        sb.append("User-Agent: Berth-Client/0.1\r\n");
        boolean hasConnection = false;
        for (var h : headers.entrySet()) {
            sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            hasConnection |= h.getKey().equalsIgnoreCase("Connection");
        }
        if (!hasConnection) {
            sb.append("Connection: close\r\n");
        }
        switch (body) {
            case null -> {
                if (method.equals("POST") || method.equals("PUT")) {
                    sb.append("Content-Length: 0\r\n");
                }
                sb.append("\r\n");
                out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            }
            case byte[] bytes -> {
                sb.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
                out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                out.write(bytes);
            }
            case InputStream stream -> {
                sb.append("Transfer-Encoding: chunked\r\n\r\n");
                out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                byte[] buf = new byte[256 * 1024];
                int n;
                while ((n = stream.read(buf)) > 0) {
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(buf, 0, n);
                    out.write(CRLF);
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            default -> throw new IllegalArgumentException("unsupported body " + body.getClass());
        }
        out.flush();
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /** Reads the status line and headers, and wraps the body according to its framing. */
    HttpResponse receive(String method) throws IOException {
        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new IOException("the engine closed the connection without a reply");
        }
        // Skip interim 100 Continue replies.
        while (statusLine.startsWith("HTTP/1.1 100")) {
            while (!readLine(in).isEmpty()) {
                // headers of the interim reply
            }
            statusLine = readLine(in);
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("malformed status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim(), line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
        }
        InputStream body;
        String te = headers.getOrDefault("Transfer-Encoding", "");
        String cl = headers.get("Content-Length");
        if (status == 101) {
            body = in;
        } else if (method.equals("HEAD") || status == 204 || status == 304) {
            body = InputStream.nullInputStream();
        } else if (te.toLowerCase().contains("chunked")) {
            body = new ChunkedInputStream(in);
        } else if (cl != null) {
            body = new BoundedInputStream(in, Long.parseLong(cl.trim()));
        } else {
            body = in;
        }
        return new HttpResponse(status, headers, body, this);
    }

    /** Half-closes the socket: the engine sees EOF on stdin. */
    void shutdownOutput() throws IOException {
        if (tlsSocket != null) {
            tlsSocket.shutdownOutput(); // TLS 1.3 half-close: close_notify, the engine sees EOF
        } else {
            channel.shutdownOutput();
        }
    }

    InputStream rawIn() {
        return in;
    }

    OutputStream rawOut() {
        return out;
    }

    @Override
    public void close() {
        try {
            if (tlsSocket != null) {
                tlsSocket.close();
            } else {
                channel.close();
            }
        } catch (IOException ignored) {
            // nothing useful to do
        }
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            buf.write(c);
        }
        if (c < 0 && buf.size() == 0) {
            return null;
        }
        String s = buf.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static final class ChannelIn extends InputStream {
        private final SocketChannel ch;

        ChannelIn(SocketChannel ch) {
            this.ch = ch;
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
            return ch.read(ByteBuffer.wrap(b, off, len));
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    private static final class ChannelOut extends OutputStream {
        private final SocketChannel ch;

        ChannelOut(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer bb = ByteBuffer.wrap(b, off, len);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
        }
    }

    /** A body with a known Content-Length. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int c = in.read();
            if (c >= 0) {
                left--;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
