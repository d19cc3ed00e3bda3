package dev.berth.daemon.build;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * HTTP(S) GETs for remote build contexts, with dockerd's {@code GetWithStatusError} error
 * wording and kinds (404 → NOT_FOUND, 400 → INVALID_ARGUMENT, 401, 403, anything else ≥ 400 →
 * 500; an unknown host → NOT_FOUND). Bounded: connect timeout, and the caller's size limit while
 * the body is copied. Redirects are followed (as Go's client does). Thread-safe: one shared
 * {@link HttpClient}, made at the first download (it starts a selector thread and loads a few
 * hundred classes: a daemon that never builds from a URL does not pay for it).
 */
final class UrlDownloader {
    private final Duration connectTimeout;
    private volatile HttpClient http;

    UrlDownloader(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    private HttpClient http() {
        HttpClient c = http;
        if (c == null) {
            synchronized (this) {
                c = http;
                if (c == null) {
                    c = HttpClient.newBuilder()
                            .connectTimeout(connectTimeout)
                            .followRedirects(HttpClient.Redirect.ALWAYS)
                            .build();
                    http = c;
                }
            }
        }
        return c;
    }

    /** An open successful response: the caller reads and closes {@code body}. */
    record Response(int status, String contentType, long contentLength, InputStream body) {}

    /**
     * GETs {@code url}; returns the response when the status is below 400.
     *
     * @throws BerthException with dockerd's message ("failed to GET … with status 404 Not Found: body")
     */
    Response get(String url) throws InterruptedIOException {
        HttpResponse<InputStream> r = send(url, "GET");
        if (r.statusCode() < 400) {
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
                    r.headers().firstValueAsLong("Content-Length").orElse(-1), r.body());
        }
        String msg = "failed to GET %s with status %s".formatted(url, status(r.statusCode()));
        try (InputStream in = r.body()) {
            // dockerd reads the whole error body; a bounded read keeps a hostile server from filling memory
            msg += ": " + new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            msg += ": error reading body";
            throw new BerthException(ErrorKind.INTERNAL, msg);
        }
        ErrorKind kind = switch (r.statusCode()) {
            case 404 -> ErrorKind.NOT_FOUND;
            case 400 -> ErrorKind.INVALID_ARGUMENT;
            case 401 -> ErrorKind.UNAUTHORIZED;
            case 403 -> ErrorKind.FORBIDDEN;
            default -> ErrorKind.INTERNAL;
        };
        throw new BerthException(kind, msg);
    }

    /**
     * The content type of {@code url}'s response to a HEAD (falling back to GET) when it answers 200,
     * else null. Used to tell smart git HTTP servers from dumb ones; never throws for network errors.
     */
    String contentTypeIfOk(String url) throws InterruptedIOException {
        for (String method : new String[] {"HEAD", "GET"}) {
            try {
                HttpResponse<InputStream> r = send(url, method);
                r.body().close();
                if (r.statusCode() == 200) {
                    return r.headers().firstValue("Content-Type").orElse("");
                }
            } catch (BerthException | IOException e) {
                if (e instanceof InterruptedIOException ie) {
                    throw ie;
                }
                // try the next method, then give up: not a smart server
            }
        }
        return null;
    }

    private HttpResponse<InputStream> send(String url, String method) throws InterruptedIOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new BerthException(ErrorKind.INTERNAL, "parse \"%s\": %s".formatted(url, e.getMessage()));
        }
        // the request timeout bounds the wait for the response headers; the body has the caller's deadline
        HttpRequest req = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(connectTimeout.multipliedBy(2)).build();
        try {
            return http().send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + url);
        } catch (IOException | IllegalArgumentException e) {
            throw networkError(uri, e);
        }
    }

    /** Go's {@code Get "url": dial tcp …} wording; an unknown host is NOT_FOUND as in dockerd. */
    private static BerthException networkError(URI uri, Exception e) {
        String prefix = "Get \"%s\": ".formatted(uri);
        Throwable root = e;
        boolean refused = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return new BerthException(ErrorKind.NOT_FOUND, prefix + "dial tcp: lookup " + uri.getHost() + ": no such host");
            }
            refused |= t instanceof ConnectException;
            root = t;
        }
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        if (e instanceof java.net.http.HttpConnectTimeoutException) {
            return new BerthException(ErrorKind.INTERNAL, prefix + "dial tcp " + uri.getHost() + ":" + port + ": i/o timeout");
        }
        if (e instanceof HttpTimeoutException) {
            return new BerthException(ErrorKind.INTERNAL, prefix + "timeout awaiting response headers");
        }
        if (refused) {
            return new BerthException(ErrorKind.INTERNAL,
                    prefix + "dial tcp " + uri.getHost() + ":" + port + ": connect: connection refused");
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return new BerthException(ErrorKind.INTERNAL, prefix + m);
    }

    /**
     * Copies {@code in} to {@code file}, failing once more than {@code maxBytes} arrive;
     * {@code progress} sees the running byte count after each chunk.
     */
    static long copyBounded(InputStream in, Path file, long maxBytes, String what, LongConsumer progress)
            throws IOException {
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                total += n;
                if (total > maxBytes) {
                    throw BerthException.invalid("%s is larger than the limit of %d bytes", what, maxBytes);
                }
                out.write(buf, 0, n);
                progress.accept(total);
            }
        }
        return total;
    }

    /** Go's {@code resp.Status}: the code and its standard text. */
    static String status(int code) {
        String text = REASONS.get(code);
        return text == null ? String.valueOf(code) : code + " " + text;
    }

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(402, "Payment Required"),
            Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"),
            Map.entry(406, "Not Acceptable"), Map.entry(408, "Request Timeout"), Map.entry(409, "Conflict"),
            Map.entry(410, "Gone"), Map.entry(413, "Request Entity Too Large"), Map.entry(415, "Unsupported Media Type"),
            Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"),
            Map.entry(501, "Not Implemented"), Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"));
}
