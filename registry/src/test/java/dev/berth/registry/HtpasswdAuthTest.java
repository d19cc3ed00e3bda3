package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.distribution.AuthConfig;
import dev.berth.distribution.ImagePusher;
import dev.berth.distribution.RegistryConfig;
import dev.berth.oci.ref.Reference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class HtpasswdAuthTest extends ClientRoundTripTest {

    @Override
    RegistryServer.Config config() {
        try {
            Path file = tmp.resolve("htpasswd");
            // Cost 5 as "htpasswd -Bb" with -C 5 writes; prefix $2y$.
            Files.writeString(file, Htpasswd.entry("alice", "s3cret", 5) + "\n# comment\n");
            return super.config().withHtpasswd(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    AuthConfig auth() {
        return AuthConfig.basic("alice", "s3cret");
    }

    @Test
    void challengesWithoutCredentials() throws Exception {
        HttpResponse<byte[]> r = get("/v2/");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Registry Realm\"");
        assertThat(errorCode(r)).isEqualTo("UNAUTHORIZED");
        String good = "Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes());
        assertThat(send(HttpRequest.newBuilder(uri("/v2/")).header("Authorization", good)).statusCode()).isEqualTo(200);
        String bad = "Basic " + Base64.getEncoder().encodeToString("alice:nope".getBytes());
        assertThat(send(HttpRequest.newBuilder(uri("/v2/")).header("Authorization", bad)).statusCode()).isEqualTo(401);
    }

    @Test
    void pushWithWrongPasswordFails() throws Exception {
        var img = TwoLayerImage.build(1);
        assertThatThrownBy(() -> new ImagePusher(RegistryConfig.defaults(), ImagePusher.Options.defaults())
                .push(Reference.parse(server.hostPort() + "/x:1"), AuthConfig.basic("alice", "wrong"), img, null))
                .hasMessageContaining("unauthorized");
    }

    @Test
    void htpasswdFromApacheTool() {
        // An independent bcrypt of "pw" (libxcrypt, as htpasswd -B writes: $2y$, cost 5).
        Htpasswd h = new Htpasswd(java.util.Map.of("bob", "$2y$05$abcdefghijklmnopqrstuuHIrMEWpUCQe2YqFR3sXwQ75u4od..9q"));
        assertThat(h.check("bob", "pw")).isTrue();
        assertThat(h.check("bob", "px")).isFalse();
    }
}
