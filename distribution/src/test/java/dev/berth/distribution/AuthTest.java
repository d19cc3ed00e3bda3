package dev.berth.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.ErrorKind;
import dev.berth.oci.image.MediaTypes;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthTest {
    FakeRegistry reg;

    @BeforeEach
    void setUp() throws Exception {
        reg = new FakeRegistry();
        reg.putManifest("library/busybox", "latest", MediaTypes.OCI_MANIFEST, "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[]}".getBytes());
    }

    @AfterEach
    void tearDown() {
        reg.close();
    }

    private RegistryClient client(AuthConfig auth) throws Exception {
        return RegistryClient.open(RegistryConfig.defaults(), reg.host(), List.of(reg.base()), auth);
    }

    @Test
    void bearerTokenFlowAnonymousThenCachedThenRefreshedOn401() throws Exception {
        reg.auth = FakeRegistry.Auth.BEARER;
        reg.user = null;
        try (RegistryClient c = client(AuthConfig.anonymous())) {
            FetchedManifest m = c.manifests().get("library/busybox", "latest");
            assertThat(m.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
            assertThat(reg.tokensIssued.get()).isEqualTo(1);
            assertThat(reg.log).anyMatch(l -> l.startsWith("GET /token?service=fake-registry&scope=repository%3Alibrary%2Fbusybox%3Apull"));
            c.manifests().get("library/busybox", "latest");
            assertThat(reg.tokensIssued.get()).as("token cached").isEqualTo(1);
            reg.validTokens.clear();
            c.manifests().get("library/busybox", "latest");
            assertThat(reg.tokensIssued.get()).as("401 refreshes the token").isEqualTo(2);
        }
    }

    @Test
    void bearerTokenWithCredentialsSendsBasicToTokenServer() throws Exception {
        reg.auth = FakeRegistry.Auth.BEARER;
        try (RegistryClient c = client(AuthConfig.basic("alice", "secret"))) {
            c.manifests().get("library/busybox", "latest");
            assertThat(reg.log).anyMatch(l -> l.contains("/token?") && l.contains("account=alice"));
        }
        try (RegistryClient c = client(AuthConfig.basic("alice", "wrong"))) {
            assertThatThrownBy(() -> c.manifests().get("library/busybox", "latest"))
                    .hasMessageContaining("incorrect username or password");
        }
    }

    @Test
    void basicAuth() throws Exception {
        reg.auth = FakeRegistry.Auth.BASIC;
        try (RegistryClient c = client(AuthConfig.basic("alice", "secret"))) {
            assertThat(c.manifests().get("library/busybox", "latest").bytes()).isNotEmpty();
        }
        try (RegistryClient c = client(AuthConfig.anonymous())) {
            assertThatThrownBy(() -> c.manifests().get("library/busybox", "latest"))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHORIZED);
                    });
        }
    }

    @Test
    void xRegistryAuthHeaderDecodes() {
        AuthConfig a = new AuthConfig("bob", "pw", "localhost:5000", null, null);
        assertThat(AuthConfig.fromHeader(a.toHeader())).isEqualTo(a);
        assertThat(AuthConfig.fromHeader(null).isAnonymous()).isTrue();
        assertThat(AuthConfig.fromHeader("e30=").isAnonymous()).isTrue(); // "{}"
        String legacy = java.util.Base64.getEncoder().encodeToString("{\"auth\":\"Ym9iOnB3\"}".getBytes());
        assertThat(AuthConfig.fromHeader(legacy).username()).isEqualTo("bob");
    }

    @Test
    void challengeParsing() {
        Challenge c = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");
        assertThat(c.isBearer()).isTrue();
        assertThat(c.param("realm")).isEqualTo("https://auth.docker.io/token");
        assertThat(c.param("scope")).isEqualTo("repository:library/busybox:pull");
        assertThat(Challenge.parse("Basic realm=\"Registry Realm\"").isBasic()).isTrue();
    }

    @Test
    void insecureAndEndpoints() {
        RegistryConfig cfg = new RegistryConfig(List.of("10.0.0.0/8", "myreg:5000"), java.util.Map.of(), null);
        assertThat(cfg.isInsecure("localhost:5000")).isTrue();
        assertThat(cfg.isInsecure("127.0.0.1:5000")).isTrue();
        assertThat(cfg.isInsecure("10.1.2.3:5000")).isTrue();
        assertThat(cfg.isInsecure("myreg:5000")).isTrue();
        assertThat(cfg.isInsecure("quay.io")).isFalse();
        assertThat(cfg.endpoints("docker.io")).containsExactly(java.net.URI.create("https://registry-1.docker.io"));
        assertThat(cfg.endpoints("localhost:5000")).extracting(java.net.URI::getScheme).containsExactly("https", "http");
    }

    @Test
    void referenceNormalisation() {
        var r = dev.berth.oci.ref.Reference.parseWithDefaultTag("busybox");
        assertThat(r.toString()).isEqualTo("docker.io/library/busybox:latest");
        assertThat(r.familiarName()).isEqualTo("busybox");
        assertThat(dev.berth.oci.ref.Reference.parse("localhost:5000/a/b:1").domain()).isEqualTo("localhost:5000");
    }

    @Test
    void loginChecksCredentials() throws Exception {
        reg.auth = FakeRegistry.Auth.BEARER;
        RegistryLogin login = new RegistryLogin(RegistryConfig.defaults());
        assertThat(login.login(new AuthConfig("alice", "secret", "http://" + reg.host() + "/", null, null)).status())
                .isEqualTo("Login Succeeded");
        assertThatThrownBy(() -> login.login(new AuthConfig("alice", "bad", reg.host(), null, null)))
                .hasMessageContaining("incorrect username or password");
        reg.auth = FakeRegistry.Auth.BASIC;
        assertThat(login.login(new AuthConfig("alice", "secret", reg.host(), null, null)).status()).isEqualTo("Login Succeeded");
        assertThatThrownBy(() -> login.login(new AuthConfig("alice", "bad", reg.host(), null, null)))
                .hasMessageContaining("login attempt to " + reg.host() + " failed with status: 401 Unauthorized");
        assertThat(RegistryLogin.domainOf("https://index.docker.io/v1/")).isEqualTo("docker.io");
    }

    @Test
    void dockerConfigFileCredentials(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path f = dir.resolve("config.json");
        java.nio.file.Files.writeString(f, "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\""
                + java.util.Base64.getEncoder().encodeToString("hub:pw".getBytes()) + "\"},\"localhost:5000\":{\"identitytoken\":\"tok\"}}}");
        DockerConfigFile c = DockerConfigFile.load(f);
        assertThat(c.credentials("docker.io").orElseThrow().username()).isEqualTo("hub");
        assertThat(c.credentials("localhost:5000").orElseThrow().identitytoken()).isEqualTo("tok");
        assertThat(c.credentials("quay.io")).isEmpty();
    }
}
