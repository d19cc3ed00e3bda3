package dev.berth.builder.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildQueryTest {
    @Test
    void parsesDockerCliQuery() {
        BuildQuery.Parsed p = BuildQuery.parse(Map.of(
                "t", List.of("app:1", "app:latest"),
                "version", List.of("1"),
                "dockerfile", List.of(".dockerfile.abc123"),
                "buildargs", List.of("{\"A\":\"1\",\"B\":null}"),
                "labels", List.of("{\"l\":\"v\"}"),
                "nocache", List.of("1"),
                "rm", List.of("0"),
                "forcerm", List.of("true"),
                "memory", List.of("1048576"),
                "target", List.of("")));
        BuildOptions o = p.options();
        assertThat(o.tags()).containsExactly("app:1", "app:latest");
        assertThat(o.buildArgs()).containsEntry("A", "1").containsEntry("B", null);
        assertThat(o.labels()).containsEntry("l", "v");
        assertThat(o.noCache()).isTrue();
        assertThat(o.remove()).isFalse();
        assertThat(o.forceRemove()).isTrue();
        assertThat(o.target()).isNull();
        assertThat(o.resources().memory()).isEqualTo(1048576);
        assertThat(p.dockerfile()).isEqualTo(".dockerfile.abc123");
        assertThat(p.version()).isEqualTo("1");
    }

    @Test
    void defaults() {
        BuildQuery.Parsed p = BuildQuery.parse(Map.of());
        assertThat(p.options().remove()).isTrue();
        assertThat(p.options().pull()).isFalse();
        assertThat(p.dockerfile()).isEqualTo("Dockerfile");
    }
}
