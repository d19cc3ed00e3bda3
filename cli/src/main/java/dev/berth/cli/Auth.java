package dev.berth.cli;

import dev.berth.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Registry credentials as the docker CLI keeps them, found through {@code ~/.docker/config.json}
 * ({@code $DOCKER_CONFIG}): a credential helper named for the server in {@code credHelpers}, else
 * the one in {@code credsStore} ({@link CredentialHelper}; config.json then only lists the server
 * under {@code auths} with no secret), else {@code auths.<server>.auth = base64(user:password)}
 * in the file itself. Also builds the {@code X-Registry-Auth} header (base64url JSON) the engine
 * expects on pull and push. Not thread-safe; one instance per command.
 */
final class Auth {
    /** Docker Hub's key in config.json. */
    static final String INDEX_SERVER = "https://index.docker.io/v1/";

    private final Path file;
    private final CredentialHelper.Runner helpers;

    Auth() {
        this(defaultFile(), (helper, action, stdin) -> Launcher.credentialHelper(null, helper, action, stdin));
    }

    /** @param helpers how {@code docker-credential-*} programs are run (tests point it at scripts) */
    Auth(Path file, CredentialHelper.Runner helpers) {
        this.file = file;
        this.helpers = helpers;
    }

    private static Path defaultFile() {
        String dir = System.getenv("DOCKER_CONFIG");
        return (dir != null && !dir.isEmpty() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".docker"))
                .resolve("config.json");
    }

    /** The helper that holds {@code server}'s credentials: {@code credHelpers[server]}, else {@code credsStore}; null for the file. */
    CredentialHelper helperFor(ObjectNode config, String server) {
        String name = config.path("credHelpers").path(server).asString("");
        if (name.isEmpty()) {
            name = config.path("credsStore").asString("");
        }
        return name.isEmpty() ? null : new CredentialHelper(name, helpers);
    }

    /** The config.json key for a registry host ("docker.io" → the index server URL). */
    static String serverKey(String registry) {
        if (registry == null || registry.isEmpty() || registry.equals("docker.io") || registry.equals("index.docker.io")
                || registry.equals("registry-1.docker.io") || registry.equals(INDEX_SERVER)) {
            return INDEX_SERVER;
        }
        String r = registry.replaceFirst("^https?://", "");
        int slash = r.indexOf('/');
        return slash < 0 ? r : r.substring(0, slash);
    }

    /** The registry host of an image reference ("busybox" → docker.io). */
    static String registryOf(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return "docker.io";
        }
        String first = image.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : "docker.io";
    }

    ObjectNode read() {
        try {
            if (Files.exists(file)) {
                JsonNode n = Json.mapper().readTree(Files.readAllBytes(file));
                if (n instanceof ObjectNode o) {
                    return o;
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable config is treated as empty, as docker warns and goes on
        }
        return Json.mapper().createObjectNode();
    }

    void write(ObjectNode config) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
        Files.write(tmp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Saves credentials for {@code server} (in its helper when one is configured). */
    void store(String server, String user, String password) throws IOException {
        ObjectNode c = read();
        CredentialHelper helper = helperFor(c, server);
        ObjectNode auths = c.has("auths") && c.get("auths") instanceof ObjectNode o ? o : c.putObject("auths");
        if (helper != null) {
            helper.store(server, user, password);
            auths.putObject(server); // as docker: the file lists the server, the helper holds the secret
        } else {
            ObjectNode e = auths.putObject(server);
            e.put("auth", Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        write(c);
    }

    /** Removes the entry (from its helper too); false when the file had none. */
    boolean remove(String server) throws IOException {
        ObjectNode c = read();
        CredentialHelper helper = helperFor(c, server);
        boolean had = false;
        if (c.get("auths") instanceof ObjectNode auths && auths.has(server)) {
            auths.remove(server);
            write(c);
            had = true;
        }
        if (helper != null) {
            helper.erase(server); // after the file: a failing helper still leaves the user logged out there
        }
        return had;
    }

    /** The stored credentials of {@code server} (a config.json key), if any. */
    Optional<CredentialHelper.Credentials> credentials(String server) {
        ObjectNode c = read();
        CredentialHelper helper = helperFor(c, server);
        if (helper != null) {
            return helper.get(server);
        }
        JsonNode auths = c.get("auths");
        JsonNode e = auths == null ? null : auths.get(server);
        if (e == null && auths != null && !server.equals(INDEX_SERVER)) {
            e = auths.get("https://" + server);
        }
        if (e == null) {
            return Optional.empty();
        }
        String user = "";
        String password = "";
        if (e.get("auth") != null) {
            String decoded = new String(Base64.getDecoder().decode(e.get("auth").asString()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            user = decoded.substring(0, Math.max(0, colon));
            password = colon < 0 ? "" : decoded.substring(colon + 1);
        }
        String token = e.path("identitytoken").asString(null);
        if (user.isEmpty() && token == null) {
            return Optional.empty();
        }
        return Optional.of(new CredentialHelper.Credentials(user, password, token));
    }

    /** The X-Registry-Auth header for pulling/pushing {@code image}, or null without stored credentials. */
    String headerFor(String image) {
        String server = serverKey(registryOf(image));
        Optional<CredentialHelper.Credentials> found = credentials(server);
        if (found.isEmpty()) {
            return null;
        }
        CredentialHelper.Credentials cr = found.get();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("username", cr.username());
        m.put("password", cr.secret());
        if (cr.identityToken() != null) {
            m.put("identitytoken", cr.identityToken());
        }
        m.put("serveraddress", server);
        return Base64.getUrlEncoder().encodeToString(Json.mapper().writeValueAsBytes(m));
    }
}
