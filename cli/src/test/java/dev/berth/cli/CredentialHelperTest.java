package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** config.json {@code credsStore}/{@code credHelpers} through real helper programs (shell scripts written here). */
class CredentialHelperTest {
    @TempDir Path dir;
    Path config;
    Auth auth;

    /** A helper keeping one file per server URL next to itself and logging its calls. */
    private static final String HELPER = """
            #!/bin/sh
            d="$(dirname "$0")/creds-$(basename "$0")"; mkdir -p "$d"
            key() { printf '%s' "$1" | md5sum | cut -c1-32; }
            echo "$1" >> "$d.log"
            case "$1" in
              store) in=$(cat); url=$(printf '%s' "$in" | sed 's/.*"ServerURL":"\\([^"]*\\)".*/\\1/'); printf '%s' "$in" > "$d/$(key "$url")";;
              get) url=$(cat); f="$d/$(key "$url")"; if [ -f "$f" ]; then cat "$f"; else echo "credentials not found in native keychain"; exit 1; fi;;
              erase) url=$(cat); rm -f "$d/$(key "$url")";;
              list) echo '{}';;
              *) echo "unknown action"; exit 1;;
            esac
            """;

    @BeforeEach
    void helpers() throws IOException {
        for (String name : new String[] {"docker-credential-test", "docker-credential-other"}) {
            Path p = dir.resolve(name);
            Files.writeString(p, HELPER);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        }
        Path broken = dir.resolve("docker-credential-broken");
        Files.writeString(broken, "#!/bin/sh\necho boom\nexit 3\n");
        Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwx------"));
        config = dir.resolve("config.json");
        auth = new Auth(config, (helper, action, stdin) -> Launcher.credentialHelper(dir, helper, action, stdin));
    }

    private JsonNode header(String image) {
        String h = auth.headerFor(image);
        return h == null ? null : Json.mapper().readTree(Base64.getUrlDecoder().decode(h));
    }

    @Test
    void credsStoreKeepsTheSecretOutOfConfigJson() throws IOException {
        Files.writeString(config, "{\"credsStore\":\"test\"}");
        auth.store("127.0.0.1:5000", "alice", "s3cret");
        String file = Files.readString(config);
        assertThat(file).doesNotContain("s3cret").doesNotContain("\"auth\"");
        assertThat(Json.mapper().readTree(file).path("auths").has("127.0.0.1:5000")).isTrue();
        assertThat(Json.mapper().readTree(file).path("credsStore").asString()).isEqualTo("test");

        JsonNode h = header("127.0.0.1:5000/team/app:1");
        assertThat(h.path("username").asString()).isEqualTo("alice");
        assertThat(h.path("password").asString()).isEqualTo("s3cret");
        assertThat(h.path("serveraddress").asString()).isEqualTo("127.0.0.1:5000");
        assertThat(header("other.example/app")).as("no credentials: the helper says not found").isNull();

        assertThat(auth.remove("127.0.0.1:5000")).isTrue();
        assertThat(header("127.0.0.1:5000/team/app:1")).isNull();
        assertThat(Files.readString(dir.resolve("creds-docker-credential-test.log")).lines())
                .containsExactly("store", "get", "get", "erase", "get");
    }

    @Test
    void credHelpersWinOverCredsStoreAndTheFile() throws IOException {
        String fileAuth = Base64.getEncoder().encodeToString("file:pw".getBytes(StandardCharsets.UTF_8));
        Files.writeString(config, "{\"credsStore\":\"test\",\"credHelpers\":{\"reg.example:5000\":\"other\"},"
                + "\"auths\":{\"reg.example:5000\":{\"auth\":\"" + fileAuth + "\"}}}");
        auth.store("reg.example:5000", "bob", "pw2");
        assertThat(dir.resolve("creds-docker-credential-other")).isDirectory();
        assertThat(dir.resolve("creds-docker-credential-test")).doesNotExist();
        assertThat(header("reg.example:5000/x").path("username").asString()).isEqualTo("bob");
        // Docker Hub goes to credsStore under the index server URL.
        auth.store(Auth.INDEX_SERVER, "hubuser", "hubpw");
        assertThat(header("busybox").path("username").asString()).isEqualTo("hubuser");
        assertThat(header("busybox").path("serveraddress").asString()).isEqualTo(Auth.INDEX_SERVER);
    }

    @Test
    void tokensAndWithoutHelperTheFileAsBefore() throws IOException {
        new CredentialHelper("test", (h, a, in) -> Launcher.credentialHelper(dir, h, a, in)).store("tok.example", "<token>", "refresh-me");
        Files.writeString(config, "{\"credsStore\":\"test\"}");
        JsonNode h = header("tok.example/app");
        assertThat(h.path("identitytoken").asString()).isEqualTo("refresh-me");
        assertThat(h.path("username").asString()).isEmpty();

        Files.delete(config);
        auth.store("plain.example", "carol", "pw3");
        assertThat(Files.readString(config)).contains("\"auth\"");
        assertThat(header("plain.example/app").path("password").asString()).isEqualTo("pw3");
    }

    @Test
    void failingOrMissingHelpersFailWithDockersWording() throws IOException {
        Files.writeString(config, "{\"credHelpers\":{\"a.example\":\"broken\",\"b.example\":\"nope\"}}");
        assertThatThrownBy(() -> auth.headerFor("a.example/x"))
                .hasMessage("error getting credentials - err: exit status 3, out: `boom`");
        assertThatThrownBy(() -> auth.store("a.example", "u", "p"))
                .hasMessage("error storing credentials - err: exit status 3, out: `boom`");
        assertThatThrownBy(() -> auth.headerFor("b.example/x"))
                .hasMessage("error getting credentials - err: exec: \"docker-credential-nope\": executable file not found in $PATH, out: ``");
    }
}
