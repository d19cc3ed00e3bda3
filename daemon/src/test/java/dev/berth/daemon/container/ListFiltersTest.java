package dev.berth.daemon.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.model.ContainerConfig;
import dev.berth.api.model.ContainerSummary;
import dev.berth.common.Filters;
import dev.berth.common.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListFiltersTest {
    static ContainerRecord rec(String id, String name, String created, Map<String, String> labels) {
        ContainerRecord r = new ContainerRecord();
        r.id = id;
        r.name = name;
        r.created = created;
        r.imageId = "sha256:img";
        r.config = Json.mapper().convertValue(Map.of("Image", "busybox", "Labels", labels, "ExposedPorts", Map.of("80/tcp", Map.of())),
                ContainerConfig.class);
        return r;
    }

    static ListFilters filters(String json) {
        return new ListFilters(Filters.parse(json), ref -> Instant.parse("2024-01-02T00:00:00Z"),
                ref -> ref.equals("busybox") ? Set.of("sha256:img") : Set.of());
    }

    static boolean test(ListFilters f, ContainerRecord r) {
        return f.test(new ListFilters.Row(r, List.of("bridge"), List.of(new ContainerSummary.Port("0.0.0.0", 80, 8080, "tcp"))));
    }

    @Test
    void matches() {
        ContainerRecord a = rec("abc123", "/alpha", "2024-01-01T00:00:00Z", Map.of("env", "prod", "team", "x"));
        ContainerRecord b = rec("def456", "/beta", "2024-01-03T00:00:00Z", Map.of());
        b.state.startedAt = "2024-01-03T00:00:01Z";
        b.state.finishedAt = "2024-01-03T00:00:02Z";
        b.state.exitCode = 3;
        assertThat(test(filters("{\"label\":{\"env=prod\":true}}"), a)).isTrue();
        assertThat(test(filters("{\"label\":{\"env=dev\":true}}"), a)).isFalse();
        assertThat(test(filters("{\"label\":{\"team\":true}}"), b)).isFalse();
        assertThat(test(filters("{\"id\":{\"abc\":true}}"), a)).isTrue();
        assertThat(test(filters("{\"name\":{\"^/al\":true}}"), a)).isTrue();
        assertThat(test(filters("{\"name\":{\"beta\":true}}"), a)).isFalse();
        assertThat(test(filters("{\"exited\":{\"3\":true}}"), b)).isTrue();
        assertThat(test(filters("{\"exited\":{\"3\":true}}"), a)).isFalse();
        assertThat(test(filters("{\"status\":{\"exited\":true}}"), b)).isTrue();
        assertThat(test(filters("{\"status\":{\"created\":true}}"), a)).isTrue();
        assertThat(test(filters("{\"before\":{\"x\":true}}"), a)).isTrue();
        assertThat(test(filters("{\"since\":{\"x\":true}}"), a)).isFalse();
        assertThat(test(filters("{\"since\":{\"x\":true}}"), b)).isTrue();
        assertThat(test(filters("{\"ancestor\":{\"busybox\":true}}"), a)).isTrue();
        assertThat(test(filters("{\"ancestor\":{\"alpine\":true}}"), a)).isFalse();
        assertThat(test(filters("{\"network\":{\"bridge\":true}}"), a)).isTrue();
        assertThat(test(filters("{\"publish\":{\"8080\":true}}"), a)).isTrue();
        assertThat(test(filters("{\"publish\":{\"8000-8100/tcp\":true}}"), a)).isTrue();
        assertThat(test(filters("{\"expose\":{\"80\":true}}"), a)).isTrue();
        assertThat(test(filters("{\"expose\":{\"80/udp\":true}}"), a)).isFalse();
        assertThat(test(filters("{\"health\":{\"none\":true}}"), a)).isTrue();
        assertThat(test(filters("{\"is-task\":{\"true\":true}}"), a)).isFalse();
        assertThatThrownBy(() -> filters("{\"bogus\":{\"x\":true}}")).hasMessage("invalid filter 'bogus'");
        assertThat(filters("{\"status\":{\"exited\":true}}").impliesAll()).isTrue();
    }
}
