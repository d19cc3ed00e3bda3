package dev.berth.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a registry on loopback that records the request line (and
 * {@code Range} header) of every HTTP request passing through, and can slow responses down to
 * {@link #bytesPerSecond} per connection, so a test can stop a daemon in the middle of a pull and
 * count which blobs were fetched again. Only for requests without bodies (pulls). Thread-safe.
 */
final class CountingProxy implements AutoCloseable {
    /** One request: {@code "GET /v2/…"} and its Range header value (null without). */
    record Request(String line, String range) {}

    private final ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** Response bytes per second per connection; 0 is unlimited. */
    volatile long bytesPerSecond;

    CountingProxy(String upstream) throws IOException {
        int colon = upstream.lastIndexOf(':');
        this.upstreamHost = upstream.substring(0, colon);
        this.upstreamPort = Integer.parseInt(upstream.substring(colon + 1));
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("counting-proxy").start(this::accept);
    }

    /** {@code 127.0.0.1:<port>} of the proxy. */
    String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests for {@code GET …/blobs/<digest>}. */
    List<Request> blobGets(String digest) {
        return requests.stream().filter(r -> r.line().startsWith("GET ") && r.line().contains("/blobs/" + digest + " ")).toList();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(upstreamHost, upstreamPort);
                sockets.add(client);
                sockets.add(upstream);
                Thread.ofVirtual().start(() -> requests(client, upstream));
                Thread.ofVirtual().start(() -> responses(upstream, client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Client to registry: forwarded as is while request lines and Range headers are noted. */
    private void requests(Socket from, Socket to) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        String requestLine = null;
        String range = null;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buf = new byte[16 << 10];
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] != '\n') {
                        line.write(buf[i]);
                        continue;
                    }
                    String l = line.toString(StandardCharsets.ISO_8859_1).strip();
                    line.reset();
                    if (requestLine == null && !l.isEmpty()) {
                        requestLine = l;
                    } else if (requestLine != null && l.regionMatches(true, 0, "Range:", 0, 6)) {
                        range = l.substring(6).strip();
                    } else if (requestLine != null && l.isEmpty()) {
                        requests.add(new Request(requestLine, range));
                        requestLine = null;
                        range = null;
                    }
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // either side went away
        } finally {
            closeQuietly(to);
            closeQuietly(from);
        }
    }

    /** Registry to client, throttled when asked. */
    private void responses(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buf = new byte[8 << 10];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
                long rate = bytesPerSecond;
                if (rate > 0) {
                    Engine.sleep(Math.max(1, n * 1000L / rate));
                }
            }
        } catch (IOException ignored) {
            // either side went away
        } finally {
            closeQuietly(to);
            closeQuietly(from);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }
}
