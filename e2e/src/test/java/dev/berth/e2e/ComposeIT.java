package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
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
                    stop_grace_period: 1s
                    command: httpd -f -p 8080 -h /www
                    volumes: ["./www:/www:ro"]
                    healthcheck:
                      test: ["CMD-SHELL", "nc -w 1 localhost 8080 </dev/null"]
                      interval: 1s
                      retries: 30
                  client:
                    image: busybox
                    stop_grace_period: 1s
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

    /**
     * The three-service application of the Compose issue: {@code web} built from a Dockerfile,
     * {@code kv} (busybox httpd with two CGI scripts over a named volume) and {@code worker},
     * which fetches web's page ONCE by service name and stores it in kv. web only listens after
     * 2 s, so the stored value proves depends_on/service_healthy held the worker back.
     */
    private static Path threeServiceProject() throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "berth-compose3-it-");
        Files.createDirectories(dir.resolve("web"));
        Files.createDirectories(dir.resolve("kv/cgi-bin"));
        Files.writeString(dir.resolve("web/Dockerfile"), """
                FROM busybox
                COPY index.html /www/index.html
                CMD ["sh", "-c", "sleep 2; exec httpd -f -p 8080 -h /www"]
                """);
        Files.writeString(dir.resolve("web/index.html"), "hello-from-web\n");
        Files.writeString(dir.resolve("kv/cgi-bin/set"), """
                #!/bin/sh
                printf 'Content-Type: text/plain\\r\\n\\r\\n'
                k="${QUERY_STRING%%=*}"; v="${QUERY_STRING#*=}"
                echo "$v" > "/data/$k" && echo stored
                """);
        Files.writeString(dir.resolve("kv/cgi-bin/get"), """
                #!/bin/sh
                printf 'Content-Type: text/plain\\r\\n\\r\\n'
                cat "/data/$QUERY_STRING"
                """);
        for (String f : List.of("set", "get")) {
            dir.resolve("kv/cgi-bin/" + f).toFile().setExecutable(true, false);
        }
        Files.writeString(dir.resolve("worker.sh"), """
                page=$(printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc web 8080 | tail -n 1)
                echo "worker fetched: $page"
                printf "GET /cgi-bin/set?page=$page HTTP/1.0\\r\\n\\r\\n" | nc kv 7000
                exec sleep 300
                """);
        Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  kv:
                    image: busybox
                    command: httpd -f -p 7000 -h /srv
                    volumes: ["./kv:/srv:ro", "kvdata:/data"]
                    healthcheck:
                      test: ["CMD-SHELL", "nc -w 1 localhost 7000 </dev/null"]
                      interval: 1s
                      retries: 30
                  web:
                    build: ./web
                    stop_grace_period: 1s
                    environment:
                      REV: "1"
                    healthcheck:
                      test: ["CMD-SHELL", "nc -w 1 localhost 8080 </dev/null"]
                      interval: 1s
                      retries: 30
                  worker:
                    image: busybox
                    stop_grace_period: 1s
                    command: ["sh", "/worker.sh"]
                    volumes: ["./worker.sh:/worker.sh:ro"]
                    depends_on:
                      web: {condition: service_healthy}
                      kv: {condition: service_healthy}
                volumes:
                  kvdata: {}
                """);
        return dir;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static final String GET_PAGE = "printf 'GET /cgi-bin/get?page HTTP/1.0\\r\\n\\r\\n' | nc kv 7000";

    private String ids(String project) {
        return ok("ps", "-a", "--filter", "label=com.docker.compose.project=" + project, "--format", "{{.Names}} {{.ID}}");
    }

    @Test
    void threeServiceAppBuildsReachesByNameRollsWithoutFailuresAndDownLeavesNothing() throws Exception {
        String project = Engine.name("cm3").replace("e2e-", "e2e");
        Path dir = threeServiceProject();
        Path file = dir.resolve("compose.yaml");
        try {
            composeOk(file, project, "up", "-d");
            String names = ok("ps", "--filter", "label=com.docker.compose.project=" + project, "--format", "{{.Names}}");
            assertThat(names.lines().sorted()).containsExactly(project + "-kv-1", project + "-web-1", project + "-worker-1");
            assertThat(inspect(project + "-web-1", "{{.Config.Image}}")).isEqualTo(project + "-web");
            // the worker fetched web by name once, at its start: only possible if it waited for web's health
            assertThat(composeOk(file, project, "exec", "-T", "worker", "sh", "-c", GET_PAGE).out()).contains("hello-from-web");
            assertThat(composeOk(file, project, "logs", "--no-color", "worker").out())
                    .contains(project + "-worker-1  | worker fetched: hello-from-web");
            assertThat(composeOk(file, project, "ps").out()).contains(project + "-kv-1").contains(project + "-web-1")
                    .contains(project + "-worker-1").contains("(healthy)");

            // edit web only: up recreates web alone, start-first, while a poller hits "web" by name
            String before = ids(project);
            String poller = Engine.name("cm3poll");
            ok("run", "-d", "--name", poller, "--network", project + "_default", "busybox", "sh", "-c",
                    "f=0; i=0; while [ $i -lt 200 ]; do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 web 8080 | grep -q hello-from-web"
                            + " || { f=$((f+1)); echo \"fail at $i\"; }; i=$((i+1)); usleep 50000; done; echo failures=$f");
            try {
                Engine.sleep(1000);
                Files.writeString(file, Files.readString(file).replace("REV: \"1\"", "REV: \"2\""));
                composeOk(file, project, "up", "-d", "--replace-strategy", "start-first");
                // the switch happened inside the polling window
                assertThat(inspect(poller, "{{.State.Running}}")).isEqualTo("true");
                ok("wait", poller);
                String polled = docker("logs", poller).out();
                assertThat(polled).as(polled).contains("failures=0");
            } finally {
                docker("rm", "-f", poller);
            }
            String after = ids(project);
            for (String svc : List.of("kv", "worker")) {
                String line = project + "-" + svc + "-1 ";
                assertThat(after.lines().filter(l -> l.startsWith(line)).toList())
                        .isEqualTo(before.lines().filter(l -> l.startsWith(line)).toList());
            }
            String webLine = project + "-web-1 ";
            assertThat(after.lines().filter(l -> l.startsWith(webLine)).toList()).hasSize(1)
                    .isNotEqualTo(before.lines().filter(l -> l.startsWith(webLine)).toList());
            assertThat(inspect(project + "-web-1", "{{json .NetworkSettings.Networks}}")).contains("\"web\"");
            assertThat(composeOk(file, project, "exec", "-T", "worker", "sh", "-c",
                    "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc web 8080").out()).contains("hello-from-web");

            composeOk(file, project, "down", "-v");
            assertThat(ok("ps", "-a", "--filter", "label=com.docker.compose.project=" + project, "--format", "{{.Names}}")).isBlank();
            assertThat(ok("network", "ls", "--format", "{{.Name}}")).doesNotContain(project + "_");
            assertThat(ok("volume", "ls", "--format", "{{.Name}}")).doesNotContain(project + "_");
        } finally {
            compose(file, project, "down", "-v");
            docker("rmi", project + "-web");
            deleteTree(dir);
        }
    }

    @Test
    void invalidFilesNameFileLineAndFieldAndCreateNothing() throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "berth-compose-bad-it-");
        String project = Engine.name("cmbad").replace("e2e-", "e2e");
        try {
            Files.writeString(dir.resolve("unknown.yaml"), "services:\n  web:\n    image: busybox\n    bogus: 1\n");
            Files.writeString(dir.resolve("type.yaml"), "services:\n  web:\n    image: busybox\n    ports: 80\n");
            Files.writeString(dir.resolve("var.yaml"), "services:\n  web:\n    image: busybox\n    environment:\n      A: ${BERTH_IT_UNSET_X:?X must be set}\n");
            String psBefore = ok("ps", "-a", "--format", "{{.ID}}");
            String netBefore = ok("network", "ls", "--format", "{{.ID}}");
            String volBefore = ok("volume", "ls", "--format", "{{.Name}}");
            record Bad(String file, String expected) { }
            for (Bad b : List.of(
                    new Bad("unknown.yaml", "unknown.yaml:4: services.web additional property 'bogus' is not allowed"),
                    new Bad("type.yaml", "type.yaml:4: services.web.ports must be a array"),
                    new Bad("var.yaml", "var.yaml:5: services.web.environment.A: required variable BERTH_IT_UNSET_X is missing a value: X must be set"))) {
                Cmd.Result r = compose(dir.resolve(b.file()), project, "up", "-d");
                assertThat(r.exit()).as(r.describe()).isNotZero();
                assertThat(r.out() + r.err()).as(r.describe()).contains(dir.resolve(b.file()).toString()).contains(b.expected());
            }
            assertThat(ok("ps", "-a", "--format", "{{.ID}}")).isEqualTo(psBefore);
            assertThat(ok("network", "ls", "--format", "{{.ID}}")).isEqualTo(netBefore);
            assertThat(ok("volume", "ls", "--format", "{{.Name}}")).isEqualTo(volBefore);
        } finally {
            deleteTree(dir);
        }
    }

    /** The Debian docker-compose (v1, Python, docker-py) client drives the same project against berthd. */
    @Test
    void composeV1ClientRunsTheSameProject() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/docker-compose")), "docker-compose (v1) not installed");
        String project = Engine.name("cmv1").replace("e2e-", "").replace("-", "");
        Path dir = threeServiceProject();
        Path file = dir.resolve("compose.yaml");
        List<String> base = List.of("/usr/bin/docker-compose", "-f", file.toString(), "-p", project);
        java.util.function.Function<String[], Cmd.Result> v1 = args -> {
            List<String> argv = new ArrayList<>(base);
            argv.addAll(List.of(args));
            return Cmd.run(argv, e.env(), null, Duration.ofSeconds(120));
        };
        try {
            Cmd.Result up = v1.apply(new String[] {"up", "-d"});
            assertThat(up.exit()).as(up.describe() + "\n" + e.logTail()).isZero();
            Cmd.Result ps = v1.apply(new String[] {"ps"});
            assertThat(ps.exit()).as(ps.describe()).isZero();
            assertThat(ps.out()).contains(project + "_kv_1").contains(project + "_web_1").contains(project + "_worker_1").contains("Up (healthy)");
            boolean stored = eventually(Duration.ofSeconds(15), () -> docker("exec", project + "_worker_1", "sh", "-c", GET_PAGE).out()
                    .contains("hello-from-web"));
            assertThat(stored).isTrue();
            Cmd.Result down = v1.apply(new String[] {"down", "-v"});
            assertThat(down.exit()).as(down.describe()).isZero();
            assertThat(ok("ps", "-a", "--filter", "label=com.docker.compose.project=" + project, "--format", "{{.Names}}")).isBlank();
            assertThat(ok("network", "ls", "--format", "{{.Name}}")).doesNotContain(project + "_");
            assertThat(ok("volume", "ls", "--format", "{{.Name}}")).doesNotContain(project + "_");
        } finally {
            v1.apply(new String[] {"down", "-v"});
            docker("rmi", project + "_web");
            deleteTree(dir);
        }
    }
}
