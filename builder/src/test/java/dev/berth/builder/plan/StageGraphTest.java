package dev.berth.builder.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.builder.instructions.Dockerfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageGraphTest {
    private static final String MULTI = """
            ARG GO=1.22
            ARG BASE
            FROM golang:${GO} AS build
            RUN go build
            FROM alpine AS tools
            RUN apk add curl
            FROM build AS test
            RUN go test
            FROM scratch AS unused
            COPY x /
            FROM ${BASE:-debian} AS final
            COPY --from=build /app /app
            COPY --from=1 /usr/bin/curl /usr/bin/
            COPY --from=nginx:latest /etc/nginx/nginx.conf /
            """;

    private static StageGraph graph(String text) {
        return StageGraph.of(Dockerfile.parse(text), Map.of());
    }

    private static List<String> labels(List<Stage> stages) {
        return stages.stream().map(Stage::label).toList();
    }

    @Test
    void stagesByIndexAndName() {
        StageGraph g = graph(MULTI);
        assertThat(g.metaArgs()).hasSize(2);
        assertThat(labels(g.stages())).containsExactly("build", "tools", "test", "unused", "final");
        assertThat(g.byName("BUILD")).map(Stage::index).contains(0);
        assertThat(g.stage(4).instructions()).hasSize(3);
        assertThat(g.dependencies(4)).containsExactly(0, 1);
        assertThat(g.dependencies(2)).containsExactly(0);
        assertThat(g.stageRef("nginx:latest")).isEmpty();
        assertThat(g.metaEnv()).containsEntry("GO", "1.22").doesNotContainKey("BASE");
    }

    @Test
    void targetSelectsNeededStages() {
        StageGraph g = graph(MULTI);
        assertThat(labels(g.required(g.target(null)))).containsExactly("build", "tools", "final");
        assertThat(labels(g.required(g.target("test")))).containsExactly("build", "test");
        assertThat(labels(g.required(g.target("unused")))).containsExactly("unused");
        assertThatThrownBy(() -> g.target("nope")).hasMessage("target stage \"nope\" could not be found");
    }

    @Test
    void scheduleGroupsIndependentStages() {
        StageGraph g = graph(MULTI);
        List<List<Stage>> levels = g.schedule(g.target(null));
        assertThat(levels).hasSize(2);
        assertThat(labels(levels.get(0))).containsExactly("build", "tools");
        assertThat(labels(levels.get(1))).containsExactly("final");
        assertThat(g.schedule(g.target("test")).stream().map(StageGraphTest::labels))
                .containsExactly(List.of("build"), List.of("test"));
    }

    @Test
    void fromUsesMetaArgsAndBuildArgs() {
        String text = "ARG BASE=build\nFROM alpine AS build\nFROM ${BASE}\n";
        assertThat(StageGraph.of(Dockerfile.parse(text), Map.of()).dependencies(1)).containsExactly(0);
        assertThat(StageGraph.of(Dockerfile.parse(text), Map.of("BASE", "busybox")).dependencies(1)).isEmpty();
    }

    @Test
    void buildOrderPutsDependenciesFirst() {
        StageGraph g = graph("FROM alpine AS a\nCOPY --from=c /x /x\nFROM alpine AS b\nFROM alpine AS c\nFROM a\n");
        assertThat(labels(g.buildOrder(g.target(null)))).containsExactly("c", "a", "3");
        assertThat(labels(g.buildOrder(g.stage(1)))).containsExactly("b");
        StageGraph plain = graph(MULTI);
        assertThat(labels(plain.buildOrder(plain.target(null)))).containsExactly("build", "tools", "final");
    }

    @Test
    void runMountFromIsADependency() {
        StageGraph g = graph("FROM a AS cfg\nFROM b\nRUN --mount=type=bind,from=cfg,target=/c ls\n");
        assertThat(g.dependencies(1)).containsExactly(0);
    }

    @Test
    void cyclesRejected() {
        StageGraph g = graph("FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\nCOPY --from=a /y /y\n");
        assertThatThrownBy(() -> g.required(g.target("b")))
                .hasMessageStartingWith("circular dependency detected on stage: ");
    }

    @Test
    void selfNamedBaseIsAnImage() {
        StageGraph g = graph("FROM alpine AS alpine\nRUN true\n");
        assertThat(g.dependencies(0)).isEmpty();
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> graph("RUN x\nFROM y")).hasMessage(
                "dockerfile parse error on line 1: no build stage in current context");
        assertThatThrownBy(() -> graph("ARG x")).hasMessageContaining("no build stage");
        assertThatThrownBy(() -> graph("FROM a AS x\nFROM b AS x")).hasMessageContaining("duplicate stage name");
        assertThatThrownBy(() -> graph("FROM a\nCOPY --from=7 / /")).hasMessageContaining("index out of bounds");
    }
}
