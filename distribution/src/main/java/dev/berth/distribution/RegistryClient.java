package dev.berth.distribution;

import dev.berth.common.BerthException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A connection to one registry with one set of credentials. This class alone owns
 * authentication and retries (Jib's shape): {@link #send} adds the {@code Authorization} header,
 * answers a 401 by following its {@code WWW-Authenticate} challenge (bearer token flow with
 * realm/service/scope, or basic auth) and retries once, follows redirects (dropping credentials
 * on another host, as blob storage redirects need), and turns error statuses into
 * {@link RegistryException}. The endpoint classes ({@link ManifestEndpoint}, {@link BlobEndpoint},
 * {@link UploadEndpoint}) build requests and call it.
 *
 * <p>Lifecycle: {@link #open} probes {@code /v2/} on the registry's endpoints and keeps the first
 * that answers; {@link #close} releases the HTTP client. Thread-safe.
 */
public final class RegistryClient implements AutoCloseable {
    private static final int MAX_REDIRECTS = 5;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http;
    private final URI base;
    private final String domain;
    private final AuthConfig auth;
    private final Duration timeout;
    private final TokenSource tokens;
    private volatile Challenge challenge;

    RegistryClient(HttpClient http, URI base, String domain, AuthConfig auth, Clock clock, Duration timeout) {
        this.http = http;
        this.base = stripSlash(base);
        this.domain = domain;
        this.auth = auth == null ? AuthConfig.anonymous() : auth;
        this.timeout = timeout;
        this.tokens = new TokenSource(http, this.auth, clock, timeout);
    }

    private static URI stripSlash(URI u) {
        String s = u.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : u;
    }

    /**
     * Connects to {@code domain} through the first of {@code endpoints} whose {@code /v2/}
     * answers 200 or 401 (insecure registries: https without verification, then http).
     */
    public static RegistryClient open(RegistryConfig config, String domain, List<URI> endpoints, AuthConfig auth) throws IOException {
        boolean insecure = config.isInsecure(domain);
        HttpClient http = newHttpClient(insecure);
        IOException last = null;
        for (int i = 0; i < endpoints.size(); i++) {
            URI endpoint = endpoints.get(i);
            RegistryClient c = new RegistryClient(http, endpoint, domain, auth, Clock.systemUTC(), config.requestTimeout());
            try {
                // A TLS probe of a plain-HTTP server can hang until the server gives up: keep it short
                // when there is another endpoint to fall back to.
                c.ping(i < endpoints.size() - 1 ? PROBE_TIMEOUT : config.requestTimeout());
                return c;
            } catch (IOException e) {
                last = e;
            }
        }
        http.close();
        throw BerthException.unavailable("Get \"%s/v2/\": %s", endpoints.isEmpty() ? domain : endpoints.getLast(),
                last == null ? "no endpoint" : Objects.requireNonNullElse(last.getMessage(), last.getClass().getSimpleName()));
    }

    /** Connects to {@code domain} through its normal endpoints (see {@link RegistryConfig#endpoints}). */
    public static RegistryClient open(RegistryConfig config, String domain, AuthConfig auth) throws IOException {
        return open(config, domain, config.endpoints(domain), auth);
    }

    static HttpClient newHttpClient(boolean insecure) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30))
                .executor(Executors.newVirtualThreadPerTaskExecutor());
        if (insecure) {
            b.sslContext(trustAll());
        }
        return b.build();
    }

    /** Insecure registries skip certificate and host-name checks, as Docker's insecure-registries do. */
    private static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509ExtendedTrustManager() {
                @Override public void checkClientTrusted(X509Certificate[] c, String a, java.net.Socket s) {}
                @Override public void checkServerTrusted(X509Certificate[] c, String a, java.net.Socket s) {}
                @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}
                @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}
                @Override public void checkClientTrusted(X509Certificate[] c, String a) {}
                @Override public void checkServerTrusted(X509Certificate[] c, String a) {}
                @Override public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI base() {
        return base;
    }

    public String domain() {
        return domain;
    }

    Duration timeout() {
        return timeout;
    }

    public ManifestEndpoint manifests() {
        return new ManifestEndpoint(this);
    }

    public BlobEndpoint blobs() {
        return new BlobEndpoint(this);
    }

    public UploadEndpoint uploads() {
        return new UploadEndpoint(this);
    }

    public TagsEndpoint tags() {
        return new TagsEndpoint(this);
    }

    /** {@code repository:<repo>:pull}. */
    public static String pullScope(String repo) {
        return "repository:" + repo + ":pull";
    }

    /** {@code repository:<repo>:pull,push}. */
    public static String pushScope(String repo) {
        return "repository:" + repo + ":pull,push";
    }

    /** A URI under the registry's base, e.g. {@code /v2/library/busybox/manifests/latest}. */
    public URI uri(String path) {
        return URI.create(base + path);
    }

    /** Resolves a {@code Location} header against the base (it may be relative). */
    URI resolve(String location) {
        return URI.create(base + "/").resolve(location);
    }

    /** GET /v2/: 200 or 401 (remembering the challenge) means a registry is there. */
    void ping(Duration probeTimeout) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(uri("/v2/")).timeout(probeTimeout).GET().build();
        HttpResponse<Void> r = rawSend(req, HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 401) {
            rememberChallenge(r.headers());
        } else if (r.statusCode() / 100 != 2) {
            throw new IOException("registry /v2/ answered " + r.statusCode());
        }
    }

    private void rememberChallenge(HttpHeaders headers) {
        List<Challenge> cs = Challenge.parseAll(headers.allValues("WWW-Authenticate"));
        Challenge pick = cs.stream().filter(Challenge::isBearer).findFirst()
                .orElse(cs.stream().filter(Challenge::isBasic).findFirst().orElse(null));
        if (pick != null) {
            challenge = pick;
        }
    }

    /**
     * Sends a request with authentication for {@code scopes}. A 2xx/3xx-without-Location
     * response is returned; 4xx/5xx become {@link RegistryException} (body parsed for the error
     * code). Bodies of requests that may be retried must be re-readable publishers.
     */
    public <T> HttpResponse<T> send(HttpRequest.Builder builder, HttpResponse.BodyHandler<T> handler, List<String> scopes)
            throws IOException {
        HttpRequest original = builder.build();
        HttpRequest req = original;
        boolean authRetried = false;
        int redirects = 0;
        boolean sameHost = true;
        while (true) {
            HttpRequest withAuth = sameHost ? authorize(req, scopes) : req;
            byte[][] errorBody = new byte[1][];
            HttpResponse<T> resp = rawSend(withAuth, info -> {
                int s = info.statusCode();
                if (s >= 400 || isRedirect(s) && info.headers().firstValue("Location").isPresent()) {
                    return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), b -> {
                        errorBody[0] = b;
                        return null;
                    });
                }
                return handler.apply(info);
            });
            int status = resp.statusCode();
            if (status == 401 && sameHost && !authRetried && canAuthenticate(resp.headers(), scopes)) {
                authRetried = true;
                continue;
            }
            if (isRedirect(status) && resp.headers().firstValue("Location").isPresent()) {
                String m = original.method();
                if (!m.equals("GET") && !m.equals("HEAD")) {
                    return resp;
                }
                if (++redirects > MAX_REDIRECTS) {
                    throw new IOException("too many redirects for " + original.uri());
                }
                URI next = req.uri().resolve(resp.headers().firstValue("Location").get());
                sameHost = sameHost && Objects.equals(next.getHost(), base.getHost()) && next.getPort() == base.getPort();
                HttpRequest.Builder nb = HttpRequest.newBuilder(req, (k, v) -> !k.equalsIgnoreCase("Authorization")).uri(next);
                req = nb.build();
                continue;
            }
            if (status >= 400) {
                throw RegistryException.of(status, errorBody[0]);
            }
            return resp;
        }
    }

    private static boolean isRedirect(int s) {
        return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
    }

    /** After a 401: take the new challenge, drop the cached token, and say whether a retry can help. */
    private boolean canAuthenticate(HttpHeaders headers, List<String> scopes) throws IOException {
        rememberChallenge(headers);
        Challenge c = challenge;
        if (c == null) {
            return false;
        }
        if (c.isBasic()) {
            return auth.hasPassword();
        }
        if (c.isBearer()) {
            tokens.invalidate(c, mergedScopes(c, scopes));
            return true;
        }
        return false;
    }

    private static List<String> mergedScopes(Challenge c, List<String> scopes) {
        List<String> all = new ArrayList<>(scopes);
        String s = c.param("scope");
        if (s != null && !s.isEmpty()) {
            for (String one : s.split(" ")) {
                if (!all.contains(one)) {
                    all.add(one);
                }
            }
        }
        return all;
    }

    private HttpRequest authorize(HttpRequest req, List<String> scopes) throws IOException {
        Challenge c = challenge;
        String header = null;
        if (c != null && c.isBasic() && auth.hasPassword()) {
            header = TokenSource.basicHeader(auth);
        } else if (c != null && c.isBearer()) {
            List<String> all = mergedScopes(c, scopes);
            String token = tokens.cached(c, all);
            if (token == null) {
                token = tokens.fetch(c, all);
            }
            header = "Bearer " + token;
        }
        if (header == null) {
            return req;
        }
        return HttpRequest.newBuilder(req, (k, v) -> !k.equalsIgnoreCase("Authorization")).header("Authorization", header).build();
    }

    private <T> HttpResponse<T> rawSend(HttpRequest req, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(req, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted: " + req.method() + " " + req.uri());
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
