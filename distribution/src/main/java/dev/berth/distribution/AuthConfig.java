package dev.berth.distribution;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.common.BerthException;
import dev.berth.common.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Credentials for one registry, as the docker CLI sends them base64url-encoded in the
 * {@code X-Registry-Auth} header (Docker's {@code registry.AuthConfig}). All fields are optional;
 * {@link #anonymous()} has none. Immutable.
 *
 * @param username      user name for basic auth or for the token server
 * @param password      password (or personal access token)
 * @param serveraddress the registry the credentials are for (informational here)
 * @param identitytoken an OAuth2 refresh token; exchanged at the token server for access tokens
 * @param registrytoken a bearer token sent to the registry as it is
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuthConfig(String username, String password, String serveraddress, String identitytoken, String registrytoken) {

    public static AuthConfig anonymous() {
        return new AuthConfig(null, null, null, null, null);
    }

    public static AuthConfig basic(String username, String password) {
        return new AuthConfig(username, password, null, null, null);
    }

    /** True when a username and password are present. */
    public boolean hasPassword() {
        return username != null && !username.isEmpty() && password != null;
    }

    public boolean isAnonymous() {
        return !hasPassword() && blank(identitytoken) && blank(registrytoken);
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }

    /**
     * Decodes an {@code X-Registry-Auth} header value. Null, empty or "{}" give anonymous
     * credentials. The CLI uses base64url; standard base64 (and missing padding) is accepted too,
     * as dockerd accepts it. The legacy {@code auth} field ({@code base64(user:pass)}) is honoured.
     */
    public static AuthConfig fromHeader(String header) {
        if (header == null || header.isBlank()) {
            return anonymous();
        }
        String s = header.trim().replace('+', '-').replace('/', '_');
        while (s.endsWith("=")) {
            s = s.substring(0, s.length() - 1);
        }
        byte[] json;
        try {
            json = Base64.getUrlDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw BerthException.invalid("invalid X-Registry-Auth header: %s", e.getMessage());
        }
        try {
            var node = Json.mapper().readTree(json);
            if (node == null || !node.isObject()) {
                return anonymous();
            }
            String user = text(node, "username");
            String pass = text(node, "password");
            String auth = text(node, "auth");
            if ((user == null || user.isEmpty()) && auth != null && !auth.isEmpty()) {
                String decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    user = decoded.substring(0, colon);
                    pass = decoded.substring(colon + 1);
                }
            }
            return new AuthConfig(user, pass, text(node, "serveraddress"), text(node, "identitytoken"), text(node, "registrytoken"));
        } catch (RuntimeException e) {
            throw BerthException.invalid("invalid X-Registry-Auth header: %s", e.getMessage());
        }
    }

    private static String text(tools.jackson.databind.JsonNode node, String field) {
        for (var it = node.propertyNames().iterator(); it.hasNext(); ) {
            String name = it.next();
            if (name.equalsIgnoreCase(field)) {
                var v = node.get(name);
                return v == null || v.isNull() ? null : v.asString();
            }
        }
        return null;
    }

    /** Encodes as the CLI does (base64url JSON), e.g. for tests and the berth CLI. */
    public String toHeader() {
        return Base64.getUrlEncoder().encodeToString(Json.mapper().writeValueAsBytes(this));
    }

    @Override
    public String toString() {
        return "AuthConfig[username=" + username + ", serveraddress=" + serveraddress + ", secrets="
                + (password != null || identitytoken != null || registrytoken != null ? "***" : "none") + "]";
    }
}
