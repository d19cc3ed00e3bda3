package dev.berth.daemon.build;

import dev.berth.common.Json;
import dev.berth.oci.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The credentials a build may pull with: the {@code X-Registry-Config} header is base64url JSON
 * mapping registry hosts (Docker Hub as {@code https://index.docker.io/v1/}) to auth configs.
 * {@link #forImage} picks the entry for an image's registry and encodes it as an
 * {@code X-Registry-Auth} value for the pull. Immutable.
 */
record RegistryAuths(Map<String, Object> byRegistry) {
    static final RegistryAuths NONE = new RegistryAuths(Map.of());
    private static final String HUB = "https://index.docker.io/v1/";

    static RegistryAuths parse(String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        try {
            byte[] json = Base64.getUrlDecoder().decode(header.strip().replace('+', '-').replace('/', '_').replace("=", ""));
            @SuppressWarnings("unchecked")
            Map<String, Object> m = Json.mapper().readValue(json, Map.class);
            return m == null ? NONE : new RegistryAuths(new LinkedHashMap<>(m));
        } catch (RuntimeException e) {
            return NONE; // like dockerd: unreadable credentials mean anonymous pulls
        }
    }

    /** The X-Registry-Auth value for pulling {@code image}, or null when there are no credentials for its registry. */
    String forImage(String image) {
        if (byRegistry.isEmpty()) {
            return null;
        }
        String domain;
        try {
            domain = Reference.parse(image).domain();
        } catch (RuntimeException e) {
            return null;
        }
        Object auth = null;
        for (var e : byRegistry.entrySet()) {
            String key = e.getKey();
            String host = key.replaceFirst("^https?://", "").replaceFirst("/.*$", "");
            boolean hub = Reference.DEFAULT_DOMAIN.equals(domain)
                    && (key.equals(HUB) || host.equals("index.docker.io") || host.equals("docker.io"));
            if (hub || host.equals(domain)) {
                auth = e.getValue();
                break;
            }
        }
        if (auth == null) {
            return null;
        }
        return Base64.getUrlEncoder().encodeToString(Json.mapper().writeValueAsBytes(auth));
    }
}
