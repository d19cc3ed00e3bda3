package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

/**
 * Testcontainers (and docker-java under it), unchanged, against berthd: it finds the engine via
 * DOCKER_HOST, starts a container with a published port and waits for it, copies a file in, execs,
 * reads logs, and stops it. Ryuk and the start-up checks are off (e2e/pom.xml): they pull images.
 */
class JavaClientsIT extends E2E {
    JavaClientsIT(Engine e) {
        super(e);
    }

    @Test
    void genericContainerLifecycle() throws Exception {
        assertThat(DockerClientFactory.instance().isDockerAvailable()).isTrue();
        assertThat(DockerClientFactory.instance().getInfo().getServerVersion()).isNotBlank();
        try (GenericContainer<?> web = new GenericContainer<>("busybox:latest")
                .withCommand("sh", "-c", "mkdir -p /www && echo started && httpd -f -p 80 -h /www")
                .withExposedPorts(80)
                .withLabel("e2e", "testcontainers")
                .waitingFor(Wait.forLogMessage("started\\n", 1).withStartupTimeout(Duration.ofSeconds(60)))) {
            web.start();
            web.copyFileToContainer(Transferable.of("hello from testcontainers\n"), "/www/index.html");
            ExecResult ls = web.execInContainer("cat", "/www/index.html");
            assertThat(ls.getExitCode()).isZero();
            assertThat(ls.getStdout()).isEqualTo("hello from testcontainers\n");
            String url = "http://" + web.getHost() + ":" + web.getMappedPort(80) + "/";
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).isEqualTo("hello from testcontainers\n");
            assertThat(web.getLogs()).contains("started");
            assertThat(ok("ps", "--filter", "label=e2e=testcontainers", "-q")).isNotBlank();
        }
        assertThat(ok("ps", "-a", "--filter", "label=e2e=testcontainers", "-q")).isBlank();
    }
}
