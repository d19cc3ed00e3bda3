package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.distribution.AuthConfig;
import dev.berth.distribution.RegistryClient;
import dev.berth.distribution.RegistryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TLS listener: the client (loopback is insecure: certificate not verified) talks https. Needs the openssl CLI. */
class TlsTest extends RegistryTestSupport {

    @Override
    RegistryServer.Config config() {
        try {
            Files.createDirectories(tmp);
            Path cert = tmp.resolve("cert.pem");
            Path key = tmp.resolve("key.pem");
            Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", key.toString(), "-out", cert.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) {
                throw new IOException("openssl failed");
            }
            return super.config().withTls(cert, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void clientSpeaksHttpsToTheRegistry() throws Exception {
        try (RegistryClient c = RegistryClient.open(RegistryConfig.defaults(), server.hostPort(), AuthConfig.anonymous())) {
            assertThat(c.base().getScheme()).isEqualTo("https");
            assertThat(c.manifests().head("x", "latest")).isEmpty();
        }
    }
}
