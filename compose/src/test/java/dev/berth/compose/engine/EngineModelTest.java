package dev.berth.compose.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.compose.loader.LoadOptions;
import dev.berth.compose.loader.Project;
import dev.berth.compose.loader.ProjectLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineModelTest {
    @TempDir
    Path dir;

    private Project load(String yaml) throws IOException {
        Files.writeString(dir.resolve("compose.yaml"), yaml);
        return new ProjectLoader().load(new LoadOptions(List.of(dir.resolve("compose.yaml")), null, null, List.of(), List.of(), Map.of(), dir));
    }

    @Test
    void hashIsStableAcrossKeyOrderAndIgnoresScale() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("image", "x");
        a.put("environment", new LinkedHashMap<>(Map.of("A", "1", "B", "2")));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("environment", new LinkedHashMap<>(Map.of("B", "2", "A", "1")));
        b.put("image", "x");
        b.put("scale", 3L);
        b.put("deploy", new LinkedHashMap<>(Map.of("replicas", 5L)));
        assertThat(ConfigHash.of(a)).isEqualTo(ConfigHash.of(b)).hasSize(64).matches("[0-9a-f]{64}");
        b.put("image", "y");
        assertThat(ConfigHash.of(a)).isNotEqualTo(ConfigHash.of(b));
    }

    @Test
    void hashIsStableAcrossEquivalentFiles() throws IOException {
        String h1 = ConfigHash.of(load("name: p\nservices:\n  web:\n    image: x\n    ports: ['80:80']\n    environment: [A=1]\n").service("web"));
        String h2 = ConfigHash.of(load("name: p\nservices:\n  web:\n    environment: {A: '1'}\n    ports: [{target: 80, published: '80'}]\n    image: x\n").service("web"));
        assertThat(h1).isEqualTo(h2);
    }

    @Test
    void naming() {
        assertThat(Naming.container("proj", "web", 2, Map.of())).isEqualTo("proj-web-2");
        assertThat(Naming.container("proj", "web", 1, Map.of("container_name", "custom"))).isEqualTo("custom");
        assertThat(Naming.oneOff("proj", "web", "0123456789abcdef0123")).isEqualTo("proj-web-run-0123456789ab");
        assertThat(Naming.resource("proj", "data")).isEqualTo("proj_data");
        assertThat(Naming.builtImage("proj", "web")).isEqualTo("proj-web");
    }

    @Test
    @SuppressWarnings("unchecked")
    void containerBodyCarriesComposeLabelsAndSettings() throws IOException {
        Files.writeString(dir.resolve("s.txt"), "secret");
        Project p = load("""
                name: proj
                services:
                  web:
                    image: nginx
                    command: ["nginx", "-g", "daemon off;"]
                    environment: {A: "1"}
                    ports: ["127.0.0.1:8080:80"]
                    volumes: ["data:/data", "./html:/html:ro"]
                    networks: {front: {aliases: [www]}, back: {}}
                    restart: on-failure:3
                    healthcheck: {test: ["CMD", "true"], interval: 1m30s, retries: 3}
                    deploy: {resources: {limits: {cpus: "0.5", memory: 64M}, reservations: {devices: [{capabilities: [gpu], count: 1}]}}}
                    secrets: [s]
                    stop_grace_period: 20s
                volumes: {data: {}}
                networks: {front: {}, back: {}}
                secrets: {s: {file: ./s.txt}}
                """);
        Map<String, Object> s = p.service("web");
        Map<String, Object> body = ContainerBody.build(p, "web", 1, false, "h", s, new SecretFiles(dir.resolve("state")));
        Map<String, String> labels = (Map<String, String>) body.get("Labels");
        assertThat(labels).containsEntry(Labels.PROJECT, "proj").containsEntry(Labels.SERVICE, "web")
                .containsEntry(Labels.NUMBER, "1").containsEntry(Labels.ONEOFF, "False").containsEntry(Labels.CONFIG_HASH, "h")
                .containsEntry(Labels.WORKING_DIR, dir.toString())
                .containsEntry(Labels.CONFIG_FILES, dir.resolve("compose.yaml").toString()).containsKey(Labels.VERSION);
        assertThat(body.get("Cmd")).isEqualTo(List.of("nginx", "-g", "daemon off;"));
        assertThat(body.get("Env")).isEqualTo(List.of("A=1"));
        assertThat(body.get("StopTimeout")).isEqualTo(20L);
        Map<String, Object> hc = (Map<String, Object>) body.get("HostConfig");
        assertThat(hc.get("PortBindings")).isEqualTo(Map.of("80/tcp", List.of(Map.of("HostIp", "127.0.0.1", "HostPort", "8080"))));
        assertThat(hc.get("RestartPolicy")).isEqualTo(Map.of("Name", "on-failure", "MaximumRetryCount", 3));
        assertThat(hc.get("NanoCpus")).isEqualTo(500_000_000L);
        assertThat(hc.get("Memory")).isEqualTo(64L << 20);
        assertThat((List<Object>) hc.get("DeviceRequests")).hasSize(1);
        assertThat(hc.get("NetworkMode")).isEqualTo("proj_front");
        List<Map<String, Object>> mounts = (List<Map<String, Object>>) hc.get("Mounts");
        assertThat(mounts).anySatisfy(m -> assertThat(m).containsEntry("Type", "volume").containsEntry("Source", "proj_data"));
        assertThat(mounts).anySatisfy(m -> assertThat(m).containsEntry("Type", "bind").containsEntry("Target", "/html").containsEntry("ReadOnly", true));
        assertThat(mounts).anySatisfy(m -> assertThat(m).containsEntry("Target", "/run/secrets/s").containsEntry("ReadOnly", true)
                .containsEntry("Source", dir.resolve("s.txt").toString()));
        Map<String, Object> health = (Map<String, Object>) body.get("Healthcheck");
        assertThat(health).containsEntry("Interval", 90_000_000_000L).containsEntry("Retries", 3L);
        Map<String, Object> endpoints = (Map<String, Object>) ((Map<String, Object>) body.get("NetworkingConfig")).get("EndpointsConfig");
        assertThat(((Map<String, Object>) endpoints.get("proj_front")).get("Aliases")).isEqualTo(List.of("web", "www"));
        assertThat(ContainerBody.extraNetworks(p, "web", s, false)).containsOnlyKeys("proj_back");
    }

    @Test
    void secretContentIsWrittenReadOnly() throws IOException {
        Project p = load("name: p\nservices:\n  web: {image: x, configs: [{source: c, target: /etc/c.conf}]}\nconfigs: {c: {content: hello}}\n");
        Map<String, Object> body = ContainerBody.build(p, "web", 1, false, "h", p.service("web"), new SecretFiles(dir.resolve("st")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> mounts = (List<Map<String, Object>>) ((Map<String, Object>) body.get("HostConfig")).get("Mounts");
        Path src = Path.of((String) mounts.getFirst().get("Source"));
        assertThat(Files.readString(src)).isEqualTo("hello");
        assertThat(mounts.getFirst()).containsEntry("Target", "/etc/c.conf");
    }

    @Test
    void dependencyOrderAndSelection() throws IOException {
        Project p = load("""
                services:
                  web: {image: x, depends_on: [api]}
                  api: {image: x, depends_on: {db: {condition: service_healthy}}}
                  db: {image: x}
                  other: {image: x}
                """);
        assertThat(ComposeEngine.select(p, Set.of("web"), true)).containsExactly("db", "api", "web");
        assertThat(ComposeEngine.select(p, Set.of("web"), false)).containsExactly("web");
        List<String> all = ComposeEngine.select(p, Set.of(), true);
        assertThat(all.indexOf("db")).isLessThan(all.indexOf("api"));
        assertThat(all.indexOf("api")).isLessThan(all.indexOf("web"));
        assertThatThrownBy(() -> ComposeEngine.select(p, Set.of("nope"), true)).hasMessageContaining("no such service");
    }

    @Test
    void dependencyCycle() throws IOException {
        Project p = load("services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [a]}\n");
        assertThatThrownBy(() -> ComposeEngine.select(p, Set.of(), true)).hasMessageContaining("cycle");
    }

    @Test
    void replicas() {
        assertThat(ComposeEngine.replicas(Map.of(), null)).isEqualTo(1);
        assertThat(ComposeEngine.replicas(Map.of("deploy", Map.of("replicas", 3L)), null)).isEqualTo(3);
        assertThat(ComposeEngine.replicas(Map.of("scale", 2L, "deploy", Map.of("replicas", 3L)), null)).isEqualTo(2);
        assertThat(ComposeEngine.replicas(Map.of("scale", 2L), 5)).isEqualTo(5);
    }

    @Test
    void units() {
        assertThat(Units.durationNanos("1m30s")).isEqualTo(90_000_000_000L);
        assertThat(Units.durationNanos("500ms")).isEqualTo(500_000_000L);
        assertThat(Units.durationNanos("1h")).isEqualTo(3_600_000_000_000L);
        assertThat(Units.durationNanos(10L)).isEqualTo(10_000_000_000L);
        assertThatThrownBy(() -> Units.durationNanos("10x")).hasMessageContaining("invalid duration");
        assertThat(Units.bytes("64M")).isEqualTo(64L << 20);
        assertThat(Units.bytes("1gb")).isEqualTo(1L << 30);
        assertThat(Units.bytes(1024L)).isEqualTo(1024L);
    }
}
