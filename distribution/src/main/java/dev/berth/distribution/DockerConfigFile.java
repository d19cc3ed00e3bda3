package dev.berth.distribution;

import dev.berth.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads credentials from a docker CLI config file ({@code ~/.docker/config.json}, {@code auths}
 * entries with base64 {@code auth} or {@code identitytoken}), for the berth CLI and embedders.
 * Credential helpers ({@code credsStore}, {@code credHelpers}) are programs, which this module may
 * not start: the berth CLI runs them (dev.berth.cli.CredentialHelper). Immutable.
 */
public final class DockerConfigFile {
    private final JsonNode auths;

    private DockerConfigFile(JsonNode auths) {
        this.auths = auths;
    }

    /** Loads the file; a missing file has no credentials. */
    public static DockerConfigFile load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new DockerConfigFile(Json.mapper().createObjectNode());
        }
        JsonNode root = Json.mapper().readTree(Files.readAllBytes(file));
        return new DockerConfigFile(root.path("auths"));
    }

    /** {@code $DOCKER_CONFIG/config.json} or {@code ~/.docker/config.json}. */
    public static Path defaultPath() {
        String dir = System.getenv("DOCKER_CONFIG");
        return dir != null && !dir.isEmpty() ? Path.of(dir, "config.json") : Path.of(System.getProperty("user.home"), ".docker", "config.json");
    }

    /** Credentials for a registry domain ({@code docker.io} matches the legacy index URL key). */
    public Optional<AuthConfig> credentials(String domain) {
        for (Iterator<String> it = auths.propertyNames().iterator(); it.hasNext(); ) {
            String key = it.next();
            if (!RegistryLogin.domainOf(key).equals(domain)) {
                continue;
            }
            JsonNode e = auths.get(key);
            String user = e.path("username").asString(null);
            String pass = e.path("password").asString(null);
            String auth = e.path("auth").asString(null);
            if (auth != null && !auth.isEmpty()) {
                String decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    user = decoded.substring(0, colon);
                    pass = decoded.substring(colon + 1);
                }
            }
            String identity = e.path("identitytoken").asString(null);
            return Optional.of(new AuthConfig(user, pass, key, identity, null));
        }
        return Optional.empty();
    }
}
