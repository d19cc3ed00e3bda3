package dev.berth.compose.loader;

import dev.berth.common.ShellWords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PortsMountsMergerTest {
    @Test
    void ports() {
        assertThat(Ports.parse("80")).containsExactly(Map.of("mode", "ingress", "target", 80L, "protocol", "tcp"));
        assertThat(Ports.parse("8080:80/udp").getFirst()).containsEntry("published", "8080").containsEntry("protocol", "udp");
        assertThat(Ports.parse("[::1]:8080:80").getFirst()).containsEntry("host_ip", "::1");
        assertThat(Ports.parse("3000-3002:4000-4002")).hasSize(3).last().satisfies(m -> assertThat(m)
                .containsEntry("target", 4002L).containsEntry("published", "3002"));
        assertThat(Ports.parse("9090-9091:8080").getFirst()).containsEntry("published", "9090-9091");
        assertThatThrownBy(() -> Ports.parse("abc:80")).hasMessageContaining("invalid port");
    }

    @Test
    void mounts() {
        assertThat(Mounts.parse("/data")).isEqualTo(Map.of("type", "volume", "target", "/data"));
        assertThat(Mounts.parse("vol:/data:ro,nocopy")).containsEntry("read_only", true).containsEntry("volume", Map.of("nocopy", true));
        assertThat(Mounts.parse("./src:/src:rshared")).containsEntry("type", "bind")
                .containsEntry("bind", Map.of("propagation", "rshared", "create_host_path", true));
        assertThatThrownBy(() -> Mounts.parse("a:/b:bogus")).hasMessageContaining("invalid volume mode");
    }

    @Test
    void shellWords() {
        assertThat(ShellWords.split("a 'b c' \"d \\\"e\\\"\" f\\ g")).containsExactly("a", "b c", "d \"e\"", "f g");
        assertThatThrownBy(() -> ShellWords.split("a 'b")).hasMessageContaining("looking for matching");
    }

    private static Map<String, Object> m(Object... kv) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put((String) kv[i], kv[i + 1]);
        }
        return out;
    }

    @Test
    void mergeRules() {
        Map<String, Object> base = m("image", "a", "command", new ArrayList<>(List.of("x", "y")),
                "ports", new ArrayList<>(List.of(m("target", 80L, "published", "80", "protocol", "tcp"))),
                "volumes", new ArrayList<>(List.of(m("type", "volume", "source", "v1", "target", "/d"))),
                "secrets", new ArrayList<>(List.of(m("source", "s1"))),
                "healthcheck", m("test", new ArrayList<>(List.of("CMD", "a")), "interval", "1s"),
                "cap_add", new ArrayList<>(List.of("NET_ADMIN")));
        Map<String, Object> over = m("command", new ArrayList<>(List.of("z")),
                "ports", new ArrayList<>(List.of(m("target", 80L, "published", "80", "protocol", "tcp"), m("target", 443L, "protocol", "tcp"))),
                "volumes", new ArrayList<>(List.of(m("type", "volume", "source", "v2", "target", "/d"))),
                "secrets", new ArrayList<>(List.of(m("source", "s2"))),
                "healthcheck", m("test", new ArrayList<>(List.of("CMD", "b"))),
                "cap_add", new ArrayList<>(List.of("NET_ADMIN", "SYS_TIME")));
        Map<String, Object> r = Merger.merge(base, over);
        assertThat(r.get("command")).isEqualTo(List.of("z"));
        assertThat(Values.list(r, "ports")).hasSize(2);
        assertThat(Values.list(r, "volumes")).containsExactly(m("type", "volume", "source", "v2", "target", "/d"));
        assertThat(Values.list(r, "secrets")).hasSize(2);
        assertThat(Values.map(r, "healthcheck")).containsEntry("test", List.of("CMD", "b")).containsEntry("interval", "1s");
        assertThat(Values.list(r, "cap_add")).containsExactly("NET_ADMIN", "SYS_TIME");
        // inputs untouched
        assertThat(base.get("command")).isEqualTo(List.of("x", "y"));
    }
}
