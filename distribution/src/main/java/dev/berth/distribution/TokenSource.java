package dev.berth.distribution;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * Gets and caches bearer tokens from a token server (Docker's token authentication: GET the
 * realm with service and scopes, Basic credentials when given; with an identity token, the OAuth2
 * refresh-token grant by POST). Tokens are cached per scope set until shortly before they expire.
 * Thread-safe.
 */
final class TokenSource {
    private static final Duration MIN_LIFETIME = Duration.ofSeconds(60);

    private record Cached(String token, Instant expires) {}

    private final HttpClient http;
    private final AuthConfig auth;
    private final Clock clock;
    private final Duration timeout;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    TokenSource(HttpClient http, AuthConfig auth, Clock clock, Duration timeout) {
        this.http = http;
        this.auth = auth;
        this.clock = clock;
        this.timeout = timeout;
    }

    private static String key(Challenge c, List<String> scopes) {
        return c.param("realm") + "|" + c.param("service") + "|" + String.join(" ", new TreeSet<>(scopes));
    }

    /** A cached, unexpired token for these scopes, or null. */
    String cached(Challenge c, List<String> scopes) {
        Cached t = cache.get(key(c, scopes));
        return t != null && clock.instant().isBefore(t.expires) ? t.token : null;
    }

    void invalidate(Challenge c, List<String> scopes) {
        cache.remove(key(c, scopes));
    }

    /** Fetches a new token from the challenge's realm for {@code scopes} and caches it. */
    String fetch(Challenge c, List<String> scopes) throws IOException {
        if (auth.registrytoken() != null && !auth.registrytoken().isEmpty()) {
            return auth.registrytoken();
        }
        String realm = c.param("realm");
        if (realm == null || realm.isEmpty()) {
            throw new BerthException(ErrorKind.UNAUTHORIZED, "registry sent a bearer challenge without realm");
        }
        String service = c.param("service");
        HttpRequest req;
        boolean oauth = auth.identitytoken() != null && !auth.identitytoken().isEmpty();
        if (oauth) {
            StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=berth&refresh_token=")
                    .append(enc(auth.identitytoken()));
            if (service != null) {
                form.append("&service=").append(enc(service));
            }
            if (!scopes.isEmpty()) {
                form.append("&scope=").append(enc(String.join(" ", scopes)));
            }
            req = HttpRequest.newBuilder(URI.create(realm)).timeout(timeout)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
        } else {
            StringBuilder q = new StringBuilder();
            if (service != null) {
                q.append("service=").append(enc(service));
            }
            for (String s : scopes) {
                q.append(q.isEmpty() ? "" : "&").append("scope=").append(enc(s));
            }
            if (auth.hasPassword()) {
                q.append(q.isEmpty() ? "" : "&").append("account=").append(enc(auth.username()));
            }
            URI uri = URI.create(realm + (q.isEmpty() ? "" : (realm.contains("?") ? "&" : "?") + q));
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).GET();
            if (auth.hasPassword()) {
                b.header("Authorization", basicHeader(auth));
            }
            req = b.build();
        }
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while fetching a registry token");
        }
        if (resp.statusCode() == 401 || resp.statusCode() == 403) {
            throw new BerthException(ErrorKind.UNAUTHORIZED, "unauthorized: incorrect username or password");
        }
        if (resp.statusCode() != 200) {
            throw BerthException.unavailable("token server %s answered %d", realm, resp.statusCode());
        }
        JsonNode body = Json.mapper().readTree(resp.body());
        String token = body.path("token").asString("");
        if (token.isEmpty()) {
            token = body.path("access_token").asString("");
        }
        if (token.isEmpty()) {
            throw BerthException.unavailable("token server %s returned no token", realm);
        }
        long expiresIn = body.path("expires_in").asLong(60);
        Duration life = Duration.ofSeconds(Math.max(expiresIn, MIN_LIFETIME.toSeconds()));
        // Refresh a little early so a token does not expire between check and use.
        cache.put(key(c, scopes), new Cached(token, clock.instant().plus(life).minusSeconds(10)));
        return token;
    }

    static String basicHeader(AuthConfig auth) {
        return "Basic " + Base64.getEncoder().encodeToString((auth.username() + ":" + auth.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
