package dev.berth.compose.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectLoaderTest {
    @TempDir
    Path dir;

    private final ProjectLoader loader = new ProjectLoader();

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private Project load(Map<String, String> env, List<String> profiles, String projectName, String... files) {
        return loader.load(new LoadOptions(java.util.Arrays.stream(files).map(dir::resolve).toList(), null, projectName,
                List.of(), profiles, env, dir));
    }

    private Project load(String... files) {
        return load(Map.of(), List.of(), null, files);
    }

    @Test
    void defaultFileOverrideAndDirectoryName() throws IOException {
        write("compose.yaml", "services:\n  web:\n    image: nginx\n    ports: ['80:80']\n");
        write("compose.override.yaml", "services:\n  web:\n    ports: ['443:443']\n    environment: {A: b}\n");
        Project p = loader.load(new LoadOptions(List.of(), null, null, List.of(), List.of(), Map.of(), dir));
        assertThat(p.configFiles()).hasSize(2);
        assertThat(p.name()).isEqualTo(dir.getFileName().toString().toLowerCase().replaceAll("[^a-z0-9_-]", ""));
        assertThat(Values.list(p.service("web"), "ports")).hasSize(2);
        assertThat(Values.map(p.service("web"), "environment")).containsEntry("A", "b");
    }

    @Test
    void mergeRulesAcrossFiles() throws IOException {
        write("a.yaml", """
                services:
                  web:
                    image: nginx:1
                    command: [a, b]
                    volumes: ["./x:/data", "cache:/cache"]
                    environment: [X=1, Y=2]
                    labels: {l1: a}
                    dns: 1.1.1.1
                volumes: {cache: {}}
                """);
        write("b.yaml", """
                services:
                  web:
                    image: nginx:2
                    command: [c]
                    volumes: ["./y:/data:ro"]
                    environment: {Y: "3", Z: "4"}
                    labels: [l2=b]
                    dns: [8.8.8.8]
                """);
        Project p = load("a.yaml", "b.yaml");
        Map<String, Object> web = p.service("web");
        assertThat(web.get("image")).isEqualTo("nginx:2");
        assertThat(web.get("command")).isEqualTo(List.of("c"));
        List<Object> vols = Values.list(web, "volumes");
        assertThat(vols).hasSize(2);
        Map<?, ?> data = (Map<?, ?>) vols.getFirst();
        assertThat(data.get("source")).isEqualTo(dir.resolve("y").toString());
        assertThat(data.get("read_only")).isEqualTo(true);
        assertThat(Values.map(web, "environment")).containsExactly(Map.entry("X", "1"), Map.entry("Y", "3"), Map.entry("Z", "4"));
        assertThat(Values.map(web, "labels")).containsEntry("l1", "a").containsEntry("l2", "b");
        assertThat(Values.list(web, "dns")).containsExactly("1.1.1.1", "8.8.8.8");
    }

    @Test
    void interpolationFromDotEnvAndOsEnvWins() throws IOException {
        write(".env", "TAG=from-dotenv\nPORT=8080\nCOMPOSE_PROJECT_NAME=fromenv\n");
        write("compose.yaml", "services:\n  web:\n    image: \"nginx:${TAG}\"\n    ports: [\"${PORT}:80\"]\n    environment: [\"ESC=$$HOME\"]\n");
        Project p = load(Map.of("TAG", "from-os"), List.of(), null, "compose.yaml");
        assertThat(p.service("web").get("image")).isEqualTo("nginx:from-os");
        assertThat(((Map<?, ?>) Values.list(p.service("web"), "ports").getFirst()).get("published")).isEqualTo("8080");
        assertThat(Values.map(p.service("web"), "environment")).containsEntry("ESC", "$HOME");
        assertThat(p.name()).isEqualTo("fromenv");
    }

    @Test
    void projectNamePrecedence() throws IOException {
        write("compose.yaml", "name: toplevel\nservices:\n  web: {image: nginx}\n");
        assertThat(load("compose.yaml").name()).isEqualTo("toplevel");
        assertThat(load(Map.of("COMPOSE_PROJECT_NAME", "envname"), List.of(), null, "compose.yaml").name()).isEqualTo("envname");
        assertThat(load(Map.of("COMPOSE_PROJECT_NAME", "envname"), List.of(), "flag", "compose.yaml").name()).isEqualTo("flag");
        assertThatThrownBy(() -> load(Map.of(), List.of(), "Bad Name", "compose.yaml")).hasMessageContaining("invalid project name");
        assertThat(ProjectLoader.projectName(null, null, null, Path.of("/x/My.App_1"))).isEqualTo("myapp_1");
    }

    @Test
    void profiles() throws IOException {
        write("compose.yaml", """
                services:
                  web: {image: nginx}
                  debug: {image: busybox, profiles: [dev]}
                  tools: {image: busybox, profiles: [ops, dev]}
                """);
        assertThat(load("compose.yaml").services().keySet()).containsExactly("web");
        assertThat(load(Map.of(), List.of("dev"), null, "compose.yaml").services().keySet()).containsExactly("web", "debug", "tools");
        assertThat(load(Map.of("COMPOSE_PROFILES", "ops"), List.of(), null, "compose.yaml").services().keySet()).containsExactly("web", "tools");
        assertThat(load(Map.of(), List.of("*"), null, "compose.yaml").services()).hasSize(3);
        assertThat(load("compose.yaml").disabledServices()).containsExactly("debug", "tools");
    }

    @Test
    void extendsSameFileAndOtherFile() throws IOException {
        write("common/base.yaml", """
                services:
                  base:
                    image: busybox
                    environment: {FROM: base}
                    volumes: ["./data:/data"]
                """);
        write("compose.yaml", """
                services:
                  app:
                    extends: {file: common/base.yaml, service: base}
                    environment: {OWN: "1"}
                  app2:
                    extends: app
                    command: echo hi
                """);
        Project p = load("compose.yaml");
        Map<String, Object> app = p.service("app");
        assertThat(app.get("image")).isEqualTo("busybox");
        assertThat(Values.map(app, "environment")).containsEntry("FROM", "base").containsEntry("OWN", "1");
        // relative paths of the extended file resolve against its own directory
        assertThat(((Map<?, ?>) Values.list(app, "volumes").getFirst()).get("source")).isEqualTo(dir.resolve("common/data").toString());
        assertThat(p.service("app2").get("command")).isEqualTo(List.of("echo", "hi"));
        assertThat(p.service("app2")).doesNotContainKey("extends");
    }

    @Test
    void extendsCycleIsAnError() throws IOException {
        write("compose.yaml", "services:\n  a: {extends: b, image: x}\n  b: {extends: a}\n");
        assertThatThrownBy(() -> load("compose.yaml")).hasMessageContaining("circular");
    }

    @Test
    void include() throws IOException {
        write("db/compose.yaml", "services:\n  db:\n    image: postgres\n    env_file: db.env\nvolumes: {pg: {}}\n");
        write("db/db.env", "POSTGRES_PASSWORD=secret\n");
        write("compose.yaml", "include:\n  - db/compose.yaml\nservices:\n  web:\n    image: nginx\n    depends_on: [db]\n");
        Project p = load("compose.yaml");
        assertThat(p.services().keySet()).containsExactlyInAnyOrder("web", "db");
        assertThat(Values.map(p.service("db"), "environment")).containsEntry("POSTGRES_PASSWORD", "secret");
        assertThat(p.volumes()).containsKey("pg");
    }

    @Test
    void includeConflictIsAnError() throws IOException {
        write("inc.yaml", "services:\n  web: {image: a}\n");
        write("compose.yaml", "include: [inc.yaml]\nservices:\n  web: {image: b}\n");
        assertThatThrownBy(() -> load("compose.yaml")).hasMessageContaining("conflicting service web");
    }

    @Test
    void shortSyntaxBecomesLong() throws IOException {
        write("token.txt", "t");
        write("compose.yaml", """
                services:
                  web:
                    image: nginx
                    build: ./app
                    command: sh -c "echo 'a b'"
                    ports: ["8080:80", "127.0.0.1::53/udp", 9000]
                    volumes: ["data:/var/lib:ro", "/host:/c", "/anon"]
                    depends_on: [db]
                    secrets: [token]
                    healthcheck: {test: "curl -f localhost"}
                    ulimits: {nofile: 1024}
                    extra_hosts: {somehost: 1.2.3.4}
                  db:
                    image: postgres
                volumes: {data: {}}
                secrets: {token: {file: ./token.txt}}
                """);
        Map<String, Object> web = load("compose.yaml").service("web");
        assertThat(web.get("build")).isEqualTo(Map.of("context", dir.resolve("app").toString(), "dockerfile", "Dockerfile"));
        assertThat(web.get("command")).isEqualTo(List.of("sh", "-c", "echo 'a b'"));
        List<Object> ports = Values.list(web, "ports");
        assertThat(ports.get(0)).isEqualTo(Map.of("mode", "ingress", "target", 80L, "published", "8080", "protocol", "tcp"));
        assertThat(ports.get(1)).isEqualTo(Map.of("mode", "ingress", "host_ip", "127.0.0.1", "target", 53L, "protocol", "udp"));
        assertThat(ports.get(2)).isEqualTo(Map.of("mode", "ingress", "target", 9000L, "protocol", "tcp"));
        List<Object> vols = Values.list(web, "volumes");
        assertThat(vols.get(0)).isEqualTo(Map.of("type", "volume", "source", "data", "target", "/var/lib", "read_only", true));
        assertThat(((Map<?, ?>) vols.get(1)).get("type")).isEqualTo("bind");
        assertThat(vols.get(2)).isEqualTo(Map.of("type", "volume", "target", "/anon"));
        assertThat(Values.map(web, "depends_on")).isEqualTo(Map.of("db", Map.of("condition", "service_started", "required", true)));
        assertThat(Values.list(web, "secrets")).containsExactly(Map.of("source", "token"));
        assertThat(Values.map(web, "healthcheck").get("test")).isEqualTo(List.of("CMD-SHELL", "curl -f localhost"));
        assertThat(Values.map(web, "ulimits")).isEqualTo(Map.of("nofile", Map.of("soft", 1024L, "hard", 1024L)));
        assertThat(Values.list(web, "extra_hosts")).containsExactly("somehost=1.2.3.4");
        assertThat(Values.map(web, "networks")).containsKey("default");
    }

    @Test
    void referencesAreChecked() throws IOException {
        write("a.yaml", "services:\n  web: {image: x, depends_on: [nope]}\n");
        assertThatThrownBy(() -> load("a.yaml")).hasMessageContaining("depends on undefined service \"nope\"");
        write("b.yaml", "services:\n  web: {image: x, volumes: ['data:/d']}\n");
        assertThatThrownBy(() -> load("b.yaml")).hasMessageContaining("undefined volume data");
        write("c.yaml", "services:\n  web: {image: x, networks: [back]}\n");
        assertThatThrownBy(() -> load("c.yaml")).hasMessageContaining("undefined network back");
    }

    @Test
    void resourceNamesAndExternal() throws IOException {
        write("compose.yaml", """
                name: proj
                services:
                  web: {image: x, networks: [front, ext]}
                networks:
                  front: {}
                  ext: {external: true}
                volumes:
                  data: {}
                  named: {name: custom}
                """);
        Project p = load("compose.yaml");
        assertThat(Values.map(p.networks(), "front").get("name")).isEqualTo("proj_front");
        assertThat(Values.map(p.networks(), "ext").get("name")).isEqualTo("ext");
        assertThat(p.networks()).doesNotContainKey("default");
        assertThat(Values.map(p.volumes(), "data").get("name")).isEqualTo("proj_data");
        assertThat(Values.map(p.volumes(), "named").get("name")).isEqualTo("custom");
    }

    @Test
    void validationErrorsNameFileLineField() throws IOException {
        write("compose.yaml", "services:\n  web:\n    image: nginx\n    restart: [always]\n");
        assertThatThrownBy(() -> load("compose.yaml")).hasMessageContaining(dir.resolve("compose.yaml") + ":4")
                .hasMessageContaining("services.web.restart");
    }

    @Test
    void envFileMissingRequiredAndOptional() throws IOException {
        write("compose.yaml", "services:\n  web:\n    image: x\n    env_file: [{path: nope.env, required: false}]\n");
        assertThat(load("compose.yaml").service("web")).isNotNull();
        write("c2.yaml", "services:\n  web:\n    image: x\n    env_file: nope.env\n");
        assertThatThrownBy(() -> load("c2.yaml")).hasMessageContaining("nope.env");
    }

    @Test
    void configOutputIsSortedYaml() throws IOException {
        write("compose.yaml", "name: p\nservices:\n  web: {image: x, environment: {B: '2', A: '1'}}\nx-ext: {k: v}\n");
        String yaml = ConfigWriter.yaml(load("compose.yaml").model());
        assertThat(yaml).startsWith("name: p\nservices:\n  web:\n");
        assertThat(yaml.indexOf("A: '1'")).isLessThan(yaml.indexOf("B: '2'"));
        assertThat(yaml).contains("networks:\n  default:\n    name: p_default\n").contains("x-ext:");
        // the output loads again to the same model
        write("again.yaml", yaml);
        assertThat(load("again.yaml").model()).isEqualTo(load("compose.yaml").model());
    }

    @Test
    void resetAndOverrideTags() throws IOException {
        write("a.yaml", "services:\n  web:\n    image: x\n    ports: ['80:80']\n    environment: {A: '1', B: '2'}\n    command: [a]\n");
        write("b.yaml", "services:\n  web:\n    ports: !reset []\n    environment: !override {C: '3'}\n    command: !reset null\n");
        Map<String, Object> web = load("a.yaml", "b.yaml").service("web");
        assertThat(web).doesNotContainKey("ports").doesNotContainKey("command");
        assertThat(Values.map(web, "environment")).containsExactly(Map.entry("C", "3"));
    }
}
