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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Registry credentials in docker's {@code ~/.docker/config.json} ({@code $DOCKER_CONFIG}):
 * {@code auths.<server>.auth = base64(user:password)}, and the {@code X-Registry-Auth} header
 * (base64url JSON) the engine expects on pull and push. Credential helpers are not used.
 * Not thread-safe; one instance per command.
 */
final class Auth {
    /** Docker Hub's key in config.json. */
    static final String INDEX_SERVER = "https://index.docker.io/v1/";

    private final Path file;

    Auth() {
        String dir = System.getenv("DOCKER_CONFIG");
        this.file = (dir != null && !dir.isEmpty() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".docker"))
                .resolve("config.json");
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

    void store(String server, String user, String password) throws IOException {
        ObjectNode c = read();
        ObjectNode auths = c.has("auths") && c.get("auths") instanceof ObjectNode o ? o : c.putObject("auths");
        ObjectNode e = auths.putObject(server);
        e.put("auth", Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        write(c);
    }

    /** Removes the entry; false when there was none. */
    boolean remove(String server) throws IOException {
        ObjectNode c = read();
        if (c.get("auths") instanceof ObjectNode auths && auths.has(server)) {
            auths.remove(server);
            write(c);
            return true;
        }
        return false;
    }

    /** The X-Registry-Auth header for pulling/pushing {@code image}, or null without stored credentials. */
    String headerFor(String image) {
        String server = serverKey(registryOf(image));
        JsonNode auths = read().get("auths");
        JsonNode e = auths == null ? null : auths.get(server);
        if (e == null && auths != null && !server.equals(INDEX_SERVER)) {
            e = auths.get("https://" + server);
        }
        if (e == null || e.get("auth") == null) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(e.get("auth").asString()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        Map<String, String> m = new LinkedHashMap<>();
        m.put("username", decoded.substring(0, Math.max(0, colon)));
        m.put("password", colon < 0 ? "" : decoded.substring(colon + 1));
        m.put("serveraddress", server);
        return Base64.getUrlEncoder().encodeToString(Json.mapper().writeValueAsBytes(m));
    }
}
