package dev.berth.registry;

import dev.berth.common.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Bearer-token authentication as distribution's {@code auth: token} does it: clients get a JWT
 * from an external token server ({@code realm}) and the registry verifies its signature (RS256 or
 * ES256 against the configured public key or certificate), issuer, audience (the service), time
 * window and the {@code access} claim. Immutable; thread-safe.
 *
 * @param realm   token server URL sent in the challenge
 * @param service the service name (the token's audience)
 * @param issuer  the expected {@code iss}
 * @param key     the token signer's public key
 */
public record TokenAuth(String realm, String service, String issuer, PublicKey key, Clock clock) {
    private static final long LEEWAY_SECONDS = 60;

    /** The actions a verified token grants on one resource. */
    public record Grant(String type, String name, Set<String> actions) {}

    /** Loads the key from a PEM certificate ({@code BEGIN CERTIFICATE}) or public key ({@code BEGIN PUBLIC KEY}). */
    public static TokenAuth load(String realm, String service, String issuer, Path pem) throws IOException {
        String text = Files.readString(pem);
        try {
            PublicKey k;
            if (text.contains("BEGIN CERTIFICATE")) {
                k = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII))).getPublicKey();
            } else {
                String b64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                byte[] der = Base64.getDecoder().decode(b64);
                k = keyOf(der);
            }
            return new TokenAuth(realm, service, issuer, k, Clock.systemUTC());
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("cannot read token signing key " + pem + ": " + e.getMessage(), e);
        }
    }

    private static PublicKey keyOf(byte[] der) throws java.security.GeneralSecurityException {
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (java.security.spec.InvalidKeySpecException e) {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        }
    }

    /** Verifies a token; returns its grants, or null when it is invalid in any way. */
    public List<Grant> verify(String jwt) {
        try {
            String[] parts = jwt.split("\\.");
            if (parts.length != 3) {
                return null;
            }
            Base64.Decoder dec = Base64.getUrlDecoder();
            JsonNode header = Json.mapper().readTree(dec.decode(parts[0]));
            JsonNode claims = Json.mapper().readTree(dec.decode(parts[1]));
            byte[] sig = dec.decode(parts[2]);
            String alg = header.path("alg").asString("");
            Signature s = switch (alg) {
                case "RS256" -> Signature.getInstance("SHA256withRSA");
                case "ES256" -> Signature.getInstance("SHA256withECDSAinP1363Format");
                default -> null;
            };
            if (s == null || (alg.equals("ES256") != (key instanceof ECPublicKey))) {
                return null;
            }
            s.initVerify(key);
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(sig)) {
                return null;
            }
            long now = clock.instant().getEpochSecond();
            if (!issuer.equals(claims.path("iss").asString(""))) {
                return null;
            }
            JsonNode aud = claims.path("aud");
            boolean audOk = aud.isArray() ? aud.valueStream().anyMatch(a -> service.equals(a.asString(""))) : service.equals(aud.asString(""));
            if (!audOk) {
                return null;
            }
            if (claims.has("exp") && claims.path("exp").asLong() + LEEWAY_SECONDS < now) {
                return null;
            }
            if (claims.has("nbf") && claims.path("nbf").asLong() - LEEWAY_SECONDS > now) {
                return null;
            }
            List<Grant> grants = new ArrayList<>();
            for (JsonNode a : claims.path("access")) {
                Set<String> actions = new java.util.HashSet<>();
                a.path("actions").forEach(x -> actions.add(x.asString("")));
                grants.add(new Grant(a.path("type").asString(""), a.path("name").asString(""), Set.copyOf(actions)));
            }
            return grants;
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /** True when the grants include {@code action} (or {@code *}) on the resource. */
    public static boolean allows(List<Grant> grants, String type, String name, String action) {
        for (Grant g : grants) {
            if (g.type().equals(type) && g.name().equals(name) && (g.actions().contains(action) || g.actions().contains("*"))) {
                return true;
            }
        }
        return false;
    }

    /** The challenge for a request needing {@code scope} (null: no scope, e.g. /v2/). */
    public String challenge(String scope, boolean insufficient) {
        return "Bearer realm=\"" + realm + "\",service=\"" + service + "\""
                + (scope != null ? ",scope=\"" + scope + "\"" : "")
                + (insufficient ? ",error=\"insufficient_scope\"" : "");
    }
}
