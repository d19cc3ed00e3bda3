package dev.berth.distribution;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.common.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny in-memory registry on com.sun.net.httpserver for client tests: blobs, manifests,
 * uploads (POST/PATCH/PUT, mount), optional bearer-token or basic auth, request log, and fault
 * injection (truncated first blob response, tampered blobs).
 */
final class FakeRegistry implements AutoCloseable {
    enum Auth { NONE, BEARER, BASIC }

    final HttpServer server;
    final Map<String, byte[]> blobs = new ConcurrentHashMap<>(); // digest -> bytes
    final Map<String, java.util.Set<String>> repoBlobs = new ConcurrentHashMap<>();
    final Map<String, byte[]> manifests = new ConcurrentHashMap<>(); // repo@ref -> bytes
    final Map<String, String> manifestTypes = new ConcurrentHashMap<>();
    final Map<String, java.io.ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger tokensIssued = new AtomicInteger();
    final Map<String, AtomicInteger> blobGets = new ConcurrentHashMap<>();
    volatile Auth auth = Auth.NONE;
    volatile String user = "alice";
    volatile String password = "secret";
    final java.util.Set<String> validTokens = ConcurrentHashMap.newKeySet();
    /** Blob digests whose first GET is cut off after half the bytes. */
    final java.util.Set<String> truncateOnce = ConcurrentHashMap.newKeySet();
    /** Blob digests served with altered content. */
    final java.util.Set<String> tamper = ConcurrentHashMap.newKeySet();
    volatile boolean rangeSupported = true;
    /** Blob digests whose first GET stalls after half the bytes (connection left open). */
    final java.util.Set<String> stallOnce = ConcurrentHashMap.newKeySet();
    /** Blob digests whose first GET answers 503. */
    final java.util.Set<String> unavailableOnce = ConcurrentHashMap.newKeySet();
    volatile long blobDelayMillis = 0;

    FakeRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    java.net.URI base() {
        return java.net.URI.create("http://" + host());
    }

    String putBlob(String repo, byte[] data) {
        String d = Digest.sha256(data).toString();
        blobs.put(d, data);
        repoBlobs.computeIfAbsent(repo, k -> ConcurrentHashMap.newKeySet()).add(d);
        return d;
    }

    String putManifest(String repo, String tag, String mediaType, byte[] data) {
        String d = Digest.sha256(data).toString();
        manifests.put(repo + "@" + d, data);
        manifestTypes.put(repo + "@" + d, mediaType);
        if (tag != null) {
            manifests.put(repo + "@" + tag, data);
            manifestTypes.put(repo + "@" + tag, mediaType);
        }
        return d;
    }

    private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/(sha256:[a-f0-9]{64})");
    private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
    private static final Pattern UPLOADS = Pattern.compile("/v2/(.+)/blobs/uploads/?");
    private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([0-9a-f-]{36})");

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getRawQuery();
        Map<String, String> q = new java.util.HashMap<>();
        if (query != null) {
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                q.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        log.add(ex.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
        try (ex) {
            if (path.equals("/token")) {
                token(ex, q);
                return;
            }
            if (!authorized(ex)) {
                return;
            }
            Matcher m;
            if (path.equals("/v2/") || path.equals("/v2")) {
                send(ex, 200, "application/json", "{}".getBytes());
            } else if ((m = UPLOAD.matcher(path)).matches()) {
                upload(ex, m.group(1), m.group(2), q);
            } else if ((m = UPLOADS.matcher(path)).matches() && ex.getRequestMethod().equals("POST")) {
                startUpload(ex, m.group(1), q);
            } else if ((m = BLOB.matcher(path)).matches()) {
                blob(ex, m.group(1), m.group(2));
            } else if (path.equals("/v2/paged/tags/list")) {
                String last = q.get("last");
                String body = last == null ? "{\"name\":\"paged\",\"tags\":[\"a\",\"b\"]}" : "{\"name\":\"paged\",\"tags\":[\"c\"]}";
                if (last == null) {
                    ex.getResponseHeaders().add("Link", "</v2/paged/tags/list?n=2&last=b>; rel=\"next\"");
                }
                send(ex, 200, "application/json", body.getBytes());
            } else if ((m = MANIFEST.matcher(path)).matches()) {
                manifest(ex, m.group(1), m.group(2));
            } else {
                error(ex, 404, "UNSUPPORTED", "not here");
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    private boolean authorized(HttpExchange ex) throws IOException {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        switch (auth) {
            case NONE -> {
                return true;
            }
            case BASIC -> {
                String want = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
                if (want.equals(h)) {
                    return true;
                }
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"fake\"");
                error(ex, 401, "UNAUTHORIZED", "authentication required");
                return false;
            }
            case BEARER -> {
                if (h != null && h.startsWith("Bearer ") && validTokens.contains(h.substring(7))) {
                    return true;
                }
                ex.getResponseHeaders().add("WWW-Authenticate",
                        "Bearer realm=\"" + base() + "/token\",service=\"fake-registry\"");
                error(ex, 401, "UNAUTHORIZED", "authentication required");
                return false;
            }
        }
        return false;
    }

    private void token(HttpExchange ex, Map<String, String> q) throws IOException {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (user != null && password != null && q.containsKey("account")) {
            String want = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            if (!want.equals(h)) {
                send(ex, 401, "application/json", "{\"details\":\"incorrect username or password\"}".getBytes());
                return;
            }
        }
        String validToken = "tok-" + tokensIssued.incrementAndGet();
        validTokens.add(validToken);
        send(ex, 200, "application/json", ("{\"token\":\"" + validToken + "\",\"expires_in\":300,\"scope\":\"" + q.get("scope") + "\"}").getBytes());
    }

    private void blob(HttpExchange ex, String repo, String digest) throws IOException {
        byte[] data = blobs.get(digest);
        if (data == null || !repoBlobs.getOrDefault(repo, java.util.Set.of()).contains(digest)) {
            error(ex, 404, "BLOB_UNKNOWN", "blob unknown");
            return;
        }
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().add("Content-Length", String.valueOf(data.length));
            ex.getResponseHeaders().add("Docker-Content-Digest", digest);
            ex.sendResponseHeaders(200, -1);
            return;
        }
        blobGets.computeIfAbsent(digest, k -> new AtomicInteger()).incrementAndGet();
        if (unavailableOnce.remove(digest)) {
            error(ex, 503, "UNAVAILABLE", "try later");
            return;
        }
        if (blobDelayMillis > 0) {
            try {
                Thread.sleep(blobDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (tamper.contains(digest)) {
            data = data.clone();
            data[data.length / 2] ^= 1;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        int start = 0;
        int status = 200;
        if (range != null && rangeSupported) {
            start = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
            status = 206;
            ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (data.length - 1) + "/" + data.length);
        }
        int len = data.length - start;
        ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
        if (stallOnce.remove(digest)) {
            ex.sendResponseHeaders(status, len);
            OutputStream out = ex.getResponseBody();
            out.write(data, start, len / 2);
            out.flush();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        if (truncateOnce.remove(digest)) {
            ex.sendResponseHeaders(status, len);
            OutputStream out = ex.getResponseBody();
            out.write(data, start, len / 2);
            out.flush();
            // Cut the connection mid-body.
            ex.getHttpContext().getServer();
            throw new RuntimeException("simulated connection drop") {
                @Override
                public synchronized Throwable fillInStackTrace() {
                    return this;
                }
            };
        }
        ex.sendResponseHeaders(status, len);
        ex.getResponseBody().write(data, start, len);
    }

    private void manifest(HttpExchange ex, String repo, String ref) throws IOException {
        String key = repo + "@" + ref;
        switch (ex.getRequestMethod()) {
            case "GET", "HEAD" -> {
                byte[] data = manifests.get(key);
                if (data == null) {
                    error(ex, 404, "MANIFEST_UNKNOWN", "manifest unknown");
                    return;
                }
                ex.getResponseHeaders().add("Content-Type", manifestTypes.get(key));
                ex.getResponseHeaders().add("Docker-Content-Digest", Digest.sha256(data).toString());
                if (ex.getRequestMethod().equals("HEAD")) {
                    ex.getResponseHeaders().add("Content-Length", String.valueOf(data.length));
                    ex.sendResponseHeaders(200, -1);
                } else {
                    send(ex, 200, manifestTypes.get(key), data);
                }
            }
            case "PUT" -> {
                byte[] data = ex.getRequestBody().readAllBytes();
                String d = putManifest(repo, ref.startsWith("sha256:") ? null : ref, ex.getRequestHeaders().getFirst("Content-Type"), data);
                ex.getResponseHeaders().add("Docker-Content-Digest", d);
                ex.getResponseHeaders().add("Location", "/v2/" + repo + "/manifests/" + d);
                ex.sendResponseHeaders(201, -1);
            }
            default -> error(ex, 405, "UNSUPPORTED", "no");
        }
    }

    private void startUpload(HttpExchange ex, String repo, Map<String, String> q) throws IOException {
        String mount = q.get("mount");
        if (mount != null) {
            String from = q.get("from");
            if (repoBlobs.getOrDefault(from, java.util.Set.of()).contains(mount)) {
                repoBlobs.computeIfAbsent(repo, k -> ConcurrentHashMap.newKeySet()).add(mount);
                ex.getResponseHeaders().add("Location", "/v2/" + repo + "/blobs/" + mount);
                ex.getResponseHeaders().add("Docker-Content-Digest", mount);
                ex.sendResponseHeaders(201, -1);
                return;
            }
        }
        String uuid = UUID.randomUUID().toString();
        uploads.put(uuid, new java.io.ByteArrayOutputStream());
        ex.getResponseHeaders().add("Location", "/v2/" + repo + "/blobs/uploads/" + uuid + "?_state=s0");
        ex.getResponseHeaders().add("Docker-Upload-UUID", uuid);
        ex.getResponseHeaders().add("Range", "0-0");
        ex.sendResponseHeaders(202, -1);
    }

    private void upload(HttpExchange ex, String repo, String uuid, Map<String, String> q) throws IOException {
        var buf = uploads.get(uuid);
        if (buf == null) {
            error(ex, 404, "BLOB_UPLOAD_UNKNOWN", "unknown upload");
            return;
        }
        byte[] body = ex.getRequestBody().readAllBytes();
        switch (ex.getRequestMethod()) {
            case "PATCH" -> {
                String cr = ex.getRequestHeaders().getFirst("Content-Range");
                if (cr != null && Integer.parseInt(cr.substring(0, cr.indexOf('-'))) != buf.size()) {
                    error(ex, 416, "BLOB_UPLOAD_INVALID", "out of order");
                    return;
                }
                buf.write(body);
                ex.getResponseHeaders().add("Location", "/v2/" + repo + "/blobs/uploads/" + uuid + "?_state=s" + buf.size());
                ex.getResponseHeaders().add("Range", "0-" + (buf.size() - 1));
                ex.sendResponseHeaders(202, -1);
            }
            case "PUT" -> {
                buf.write(body);
                byte[] all = buf.toByteArray();
                String d = Digest.sha256(all).toString();
                if (!d.equals(q.get("digest"))) {
                    error(ex, 400, "DIGEST_INVALID", "digest mismatch");
                    return;
                }
                uploads.remove(uuid);
                putBlob(repo, all);
                ex.getResponseHeaders().add("Location", "/v2/" + repo + "/blobs/" + d);
                ex.getResponseHeaders().add("Docker-Content-Digest", d);
                ex.sendResponseHeaders(201, -1);
            }
            default -> error(ex, 405, "UNSUPPORTED", "no");
        }
    }

    private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        send(ex, status, "application/json", ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}").getBytes());
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
