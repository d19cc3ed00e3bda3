package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code berth compose} end to end: a two-service project (busybox httpd + a client that fetches
 * from it by service name with {@code nc}, gated on the server's healthcheck) brought up, listed,
 * logged, reconciled and torn down, with Docker Compose's names and labels checked through the
 * real docker CLI. Runs the compose command in its own JVM (berth-compose on the test class path),
 * or {@code bin/berth compose} when that is not available.
 */
class ComposeIT extends E2E {
    ComposeIT(Engine e) {
        super(e);
    }

    private Cmd.Result compose(Path file, String project, String... args) {
        List<String> argv = new ArrayList<>();
        boolean inProcessClasses = getClass().getClassLoader().getResource("dev/berth/compose/cli/ComposeCommand.class") != null;
        if (inProcessClasses) {
            argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            argv.add("-cp");
            argv.add(System.getProperty("java.class.path"));
            argv.add("dev.berth.compose.cli.ComposeCommand");
        } else {
            argv.add(e.root.resolve("bin/berth").toString());
            argv.add("compose");
        }
        argv.addAll(List.of("-f", file.toString(), "-p", project));
        argv.addAll(List.of(args));
        return Cmd.run(argv, e.env(), null, Duration.ofSeconds(120));
    }

    private Cmd.Result composeOk(Path file, String project, String... args) {
        Cmd.Result r = compose(file, project, args);
        assertThat(r.exit()).as(r.describe() + "\n" + e.logTail()).isZero();
        return r;
    }

    @Test
    void twoServiceProjectLifecycle() throws IOException {
        String project = Engine.name("cmp").replace("e2e-", "e2e");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "berth-compose-it-");
        Files.createDirectories(dir.resolve("www"));
        Files.writeString(dir.resolve("www/index.html"), "hello from web\n");
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, """
                services:
                  web:
                    image: busybox
                    command: httpd -f -p 8080 -h /www
                    volumes: ["./www:/www:ro"]
                    healthcheck:
                      test: ["CMD-SHELL", "nc -w 1 localhost 8080 </dev/null"]
                      interval: 1s
                      retries: 30
                  client:
                    image: busybox
                    depends_on:
                      web: {condition: service_healthy}
                    environment:
                      TARGET: ${TARGET:-web}
                    command: ["sh", "-c", "printf 'GET / HTTP/1.0\\\\r\\\\n\\\\r\\\\n' | nc $$TARGET 8080; sleep 300"]
                """);
        try {
            String config = composeOk(file, project, "config").out();
            assertThat(config).contains("name: " + project).contains("TARGET: web").contains("condition: service_healthy");

            composeOk(file, project, "up", "-d");
            String names = ok("ps", "--filter", "label=com.docker.compose.project=" + project, "--format", "{{.Names}}");
            assertThat(names.lines().sorted()).containsExactly(project + "-client-1", project + "-web-1");
            assertThat(inspect(project + "-web-1", "{{index .Config.Labels \"com.docker.compose.service\"}} "
                    + "{{index .Config.Labels \"com.docker.compose.container-number\"}} "
                    + "{{index .Config.Labels \"com.docker.compose.oneoff\"}}")).isEqualTo("web 1 False");
            assertThat(inspect(project + "-web-1", "{{index .Config.Labels \"com.docker.compose.config-hash\"}}")).matches("[0-9a-f]{64}");
            assertThat(ok("network", "ls", "--format", "{{.Name}}")).contains(project + "_default");

            boolean fetched = eventually(Duration.ofSeconds(20), () -> compose(file, project, "logs", "--no-color", "client").out()
                    .contains("hello from web"));
            assertThat(fetched).as(compose(file, project, "logs", "--no-color").describe()).isTrue();
            assertThat(compose(file, project, "logs", "--no-color", "client").out()).contains(project + "-client-1  | ");

            String ps = composeOk(file, project, "ps").out();
            assertThat(ps).contains(project + "-web-1").contains("(healthy)").contains(project + "-client-1");

            // reconcile: nothing changed -> same container; change the client -> only it is recreated
            String webId = inspect(project + "-web-1", "{{.Id}}");
            String clientId = inspect(project + "-client-1", "{{.Id}}");
            composeOk(file, project, "up", "-d");
            assertThat(inspect(project + "-web-1", "{{.Id}}")).isEqualTo(webId);
            assertThat(inspect(project + "-client-1", "{{.Id}}")).isEqualTo(clientId);
            Files.writeString(file, Files.readString(file).replace("sleep 300", "sleep 301"));
            composeOk(file, project, "up", "-d");
            assertThat(inspect(project + "-web-1", "{{.Id}}")).isEqualTo(webId);
            assertThat(inspect(project + "-client-1", "{{.Id}}")).isNotEqualTo(clientId);

            assertThat(composeOk(file, project, "exec", "-T", "web", "cat", "/www/index.html").out()).isEqualTo("hello from web\n");

            composeOk(file, project, "stop");
            assertThat(inspect(project + "-web-1", "{{.State.Status}}")).isEqualTo("exited");
            composeOk(file, project, "start");
            assertThat(inspect(project + "-web-1", "{{.State.Status}}")).isEqualTo("running");
        } finally {
            Cmd.Result down = compose(file, project, "down");
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            assertThat(down.exit()).as(down.describe()).isZero();
        }
        assertThat(ok("ps", "-a", "--filter", "label=com.docker.compose.project=" + project, "--format", "{{.Names}}")).isBlank();
        assertThat(ok("network", "ls", "--format", "{{.Name}}")).doesNotContain(project + "_default");
    }
}
