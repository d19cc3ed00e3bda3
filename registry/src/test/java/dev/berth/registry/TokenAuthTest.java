package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.berth.common.Json;
import dev.berth.distribution.AuthConfig;
import dev.berth.distribution.ImagePusher;
import dev.berth.distribution.RegistryConfig;
import dev.berth.oci.ref.Reference;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Token auth end to end: a test token server (ES256 JWTs; alice gets what she asks for,
 * anonymous only pull) and the distribution client doing the WWW-Authenticate flow against the
 * real registry.
 */
class TokenAuthTest extends ClientRoundTripTest {
    static final KeyPair KEYS = keys();
    HttpServer tokenServer;

    static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    RegistryServer.Config config() {
        try {
            tokenServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            tokenServer.createContext("/token", ex -> {
                Map<String, List<String>> q = new LinkedHashMap<>();
                String raw = ex.getRequestURI().getRawQuery();
                for (String kv : raw == null ? new String[0] : raw.split("&")) {
                    int eq = kv.indexOf('=');
                    q.computeIfAbsent(kv.substring(0, eq), k -> new ArrayList<>()).add(URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                boolean alice = ("Basic " + Base64.getEncoder().encodeToString("alice:pw".getBytes())).equals(auth);
                if (auth != null && !alice) {
                    ex.sendResponseHeaders(401, -1);
                    ex.close();
                    return;
                }
                List<Map<String, Object>> access = new ArrayList<>();
                for (String scope : q.getOrDefault("scope", List.of())) {
                    String[] p = scope.split(":");
                    List<String> actions = new ArrayList<>();
                    for (String a : p[2].split(",")) {
                        if (alice || a.equals("pull")) {
                            actions.add(a);
                        }
                    }
                    access.add(Map.of("type", p[0], "name", p[1], "actions", actions));
                }
                byte[] body = Json.mapper().writeValueAsBytes(Map.of("token", jwt("test-issuer", q.get("service").getFirst(), access), "expires_in", 300));
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            tokenServer.start();
            Path pem = tmp.resolve("token.pem");
            Files.createDirectories(tmp);
            Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(KEYS.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            String realm = "http://127.0.0.1:" + tokenServer.getAddress().getPort() + "/token";
            return super.config().withToken(TokenAuth.load(realm, "berth-registry", "test-issuer", pem));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String jwt(String iss, String aud, List<Map<String, Object>> access) {
        try {
            Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
            long now = System.currentTimeMillis() / 1000;
            String h = enc.encodeToString("{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes());
            String c = enc.encodeToString(Json.mapper().writeValueAsBytes(Map.of("iss", iss, "aud", aud, "sub", "x",
                    "exp", now + 300, "nbf", now - 10, "iat", now, "access", access)));
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(KEYS.getPrivate());
            s.update((h + "." + c).getBytes(StandardCharsets.US_ASCII));
            return h + "." + c + "." + enc.encodeToString(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stopTokenServer() {
        tokenServer.stop(0);
    }

    @Override
    AuthConfig auth() {
        return AuthConfig.basic("alice", "pw");
    }

    @Test
    void challengeAndScopes() throws Exception {
        HttpResponse<byte[]> r = get("/v2/app/manifests/latest");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Bearer realm=\"http://127.0.0.1:").contains("service=\"berth-registry\"")
                .contains("scope=\"repository:app:pull\"");
        String pullOnly = jwt("test-issuer", "berth-registry", List.of(Map.of("type", "repository", "name", "app", "actions", List.of("pull"))));
        assertThat(send(java.net.http.HttpRequest.newBuilder(uri("/v2/app/manifests/latest")).header("Authorization", "Bearer " + pullOnly))
                .statusCode()).as("authorized, manifest simply unknown").isEqualTo(404);
        HttpResponse<byte[]> push = send(java.net.http.HttpRequest.newBuilder(uri("/v2/app/blobs/uploads/"))
                .header("Authorization", "Bearer " + pullOnly).POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(push.statusCode()).isEqualTo(401);
        assertThat(push.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"insufficient_scope\"");
        String wrongAudience = jwt("test-issuer", "elsewhere", List.of(Map.of("type", "repository", "name", "app", "actions", List.of("pull"))));
        assertThat(send(java.net.http.HttpRequest.newBuilder(uri("/v2/app/manifests/latest")).header("Authorization", "Bearer " + wrongAudience))
                .statusCode()).isEqualTo(401);
    }

    @Test
    void anonymousCannotPush() throws Exception {
        var img = TwoLayerImage.build(3);
        assertThatThrownBy(() -> new ImagePusher(RegistryConfig.defaults(), ImagePusher.Options.defaults())
                .push(Reference.parse(server.hostPort() + "/x:1"), AuthConfig.anonymous(), img, null))
                .hasMessageContaining("authentication required");
    }
}
