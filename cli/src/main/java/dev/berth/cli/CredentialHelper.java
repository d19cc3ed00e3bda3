package dev.berth.cli;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A docker credential helper ({@code docker-credential-<name>}, named by {@code credsStore} or
 * {@code credHelpers} in config.json), spoken to as the docker CLI does: the program is run with
 * one action argument; {@code get} and {@code erase} read the server URL on stdin, {@code store}
 * reads {@code {"ServerURL","Username","Secret"}}; {@code get} prints that object and
 * {@code list} a map of server URL to user name. A failing helper exits non-zero with its
 * message on stdout ("credentials not found in native keychain" for a missing entry). A user
 * name of {@code <token>} marks the secret as an identity token. Errors carry docker's wording.
 * Stateless; the runner decides how the program is started.
 */
record CredentialHelper(String name, CredentialHelper.Runner runner) {
    /** Runs {@code docker-credential-<helper> <action>} with {@code stdin}. */
    @FunctionalInterface
    interface Runner {
        Launcher.Output run(String helper, String action, byte[] stdin) throws IOException;
    }

    /** What a helper stores for a server; {@code identityToken} set instead of a password for tokens. */
    record Credentials(String username, String secret, String identityToken) {}

    static final String TOKEN_USER = "<token>";

    /** The stored credentials of {@code server}; empty when the helper has none. */
    Optional<Credentials> get(String server) {
        Launcher.Output o = call("get", server.getBytes(StandardCharsets.UTF_8), "getting");
        if (o == null) {
            return Optional.empty();
        }
        JsonNode n = Json.mapper().readTree(o.stdout());
        String user = n.path("Username").asString("");
        String secret = n.path("Secret").asString("");
        if (user.equals(TOKEN_USER)) {
            return Optional.of(new Credentials("", "", secret));
        }
        return Optional.of(new Credentials(user, secret, null));
    }

    void store(String server, String username, String secret) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("ServerURL", server);
        body.put("Username", username);
        body.put("Secret", secret);
        call("store", Json.mapper().writeValueAsBytes(body), "storing");
    }

    void erase(String server) {
        call("erase", server.getBytes(StandardCharsets.UTF_8), "erasing");
    }

    /** Server URL → user name of everything the helper holds. */
    Map<String, String> list() {
        Launcher.Output o = call("list", new byte[0], "listing");
        Map<String, String> out = new LinkedHashMap<>();
        if (o != null) {
            JsonNode n = Json.mapper().readTree(o.stdout());
            n.propertyNames().forEach(k -> out.put(k, n.get(k).asString("")));
        }
        return out;
    }

    /** Runs one action; null when the helper says it has no such credentials. */
    private Launcher.Output call(String action, byte[] stdin, String verb) {
        Launcher.Output o;
        try {
            o = runner.run(name, action, stdin);
        } catch (IOException e) {
            throw BerthException.invalid("error %s credentials - err: exec: \"docker-credential-%s\": %s, out: ``", verb, name,
                    e.getMessage() != null && e.getMessage().contains("No such file") ? "executable file not found in $PATH" : e.getMessage());
        }
        if (o.exit() == 0) {
            return o;
        }
        String out = o.stdout().strip();
        if (out.contains("credentials not found")) {
            if (action.equals("get") || action.equals("erase")) {
                return null;
            }
        }
        throw BerthException.invalid("error %s credentials - err: exit status %d, out: `%s`", verb, o.exit(), out);
    }
}
