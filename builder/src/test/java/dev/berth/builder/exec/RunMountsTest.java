package dev.berth.builder.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.builder.context.TestContexts;
import dev.berth.common.BerthException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RUN --mount: refused like dockerd unless the build enables it (berth's CLI); then cache and secret. */
class RunMountsTest {
    private static final String DF = "FROM busybox\nRUN --mount=type=cache,target=/root/.m2 --mount=type=secret,id=tok echo hi\n";

    @Test
    void refusedWithoutTheBerthFlag() {
        assertThatThrownBy(() -> new Builder(new FakeWorker()).build(DF, TestContexts.of(), BuildOptions.defaults(),
                new RecordingOutput())).hasMessageStartingWith("the --mount option requires BuildKit");
        assertThat(BuildQuery.parse(Map.of()).options().runMounts()).isNull();
        assertThat(BuildQuery.parse(Map.of("berthmounts", List.of("1"))).options().runMounts()).isNotNull();
    }

    @Test
    void cacheAndSecretReachTheWorkerAndSecretsStayOutOfTheKey() {
        FakeWorker w = new FakeWorker();
        BuildOptions opts = BuildOptions.defaults().withRunMounts(
                new RunMounts(Map.of("tok", "v1".getBytes(StandardCharsets.UTF_8))));
        new Builder(w).build(DF, TestContexts.of(), opts, new RecordingOutput());
        List<BuildWorker.RunMount> m = w.runs.getFirst().mounts();
        assertThat(m.get(0)).isEqualTo(new BuildWorker.RunMount.Cache("/root/.m2", "/root/.m2", false));
        assertThat(m.get(1)).isInstanceOfSatisfying(BuildWorker.RunMount.Secret.class, s -> {
            assertThat(s.target()).isEqualTo("/run/secrets/tok");
            assertThat(new String(s.value(), StandardCharsets.UTF_8)).isEqualTo("v1");
        });
        // another secret value: still a cache hit (BuildKit does not key on secret values)
        RecordingOutput again = new RecordingOutput();
        new Builder(w).build(DF, TestContexts.of(), BuildOptions.defaults().withRunMounts(
                new RunMounts(Map.of("tok", "v2".getBytes(StandardCharsets.UTF_8)))), again);
        assertThat(again.text.toString()).contains(" ---> Using cache");
        assertThat(w.runs).hasSize(1);
    }

    @Test
    void missingRequiredSecretAndUnsupportedTypesFail() {
        RunMounts none = new RunMounts(Map.of());
        assertThatThrownBy(() -> none.parse("type=secret,id=x")).isInstanceOf(BerthException.class)
                .hasMessage("secret x: not found");
        assertThat(none.parse("type=secret,id=x,required=false")).isNull();
        assertThatThrownBy(() -> none.parse("type=bind,target=/x")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> none.parse("type=cache")).hasMessageContaining("requires a target");
        assertThat(none.parse("type=cache,id=gomod,target=/go/pkg/mod,sharing=locked"))
                .isEqualTo(new BuildWorker.RunMount.Cache("gomod", "/go/pkg/mod", false));
    }
}
