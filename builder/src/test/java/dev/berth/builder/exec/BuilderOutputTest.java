package dev.berth.builder.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.builder.context.TestContexts;
import dev.berth.common.Ids;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuilderOutputTest {
    private final FakeWorker worker = new FakeWorker();
    private final Builder builder = new Builder(worker);

    private BuildResult build(String dockerfile, BuildOptions opts, RecordingOutput out) {
        return builder.build(dockerfile, TestContexts.of("hello.txt", "hi", "app/", null, "app/main.go", "package main"),
                opts, out);
    }

    private static String s(String id) {
        return Ids.shortId(id);
    }

    @Test
    void classicOutputStream() {
        RecordingOutput out = new RecordingOutput();
        BuildResult r = build("FROM busybox\nRUN echo hello\nCMD [\"sh\"]\n",
                BuildOptions.defaults().withTags(List.of("app")), out);
        String base = worker.refs.get("busybox");
        FakeWorker.Image cmdImage = worker.image(r.imageId());
        String runImage = cmdImage.parent();
        List<String> lines = out.lines();
        assertThat(lines.get(0)).isEqualTo("Step 1/3 : FROM busybox");
        assertThat(lines.get(1)).isEqualTo(" ---> " + s(base));
        assertThat(lines.get(2)).isEqualTo("Step 2/3 : RUN echo hello");
        assertThat(lines.get(3)).matches(" ---> Running in [0-9a-f]{12}");
        assertThat(lines.get(4)).isEqualTo("hello");
        assertThat(lines.get(5)).isEqualTo(" ---> Removed intermediate container " + lines.get(3).substring(17));
        assertThat(lines.get(6)).isEqualTo(" ---> " + s(runImage));
        assertThat(lines.get(7)).isEqualTo("Step 3/3 : CMD [\"sh\"]");
        assertThat(lines.get(8)).matches(" ---> Running in [0-9a-f]{12}");
        assertThat(lines.get(9)).startsWith(" ---> Removed intermediate container ");
        assertThat(lines.get(10)).isEqualTo(" ---> " + s(r.imageId()));
        assertThat(lines.get(11)).isEqualTo("Successfully built " + s(r.imageId()));
        assertThat(lines.get(12)).isEqualTo("Successfully tagged app:latest");
        assertThat(lines).hasSize(13);
        assertThat(out.aux).containsExactly(r.imageId());
        assertThat(r.tags()).containsExactly("app:latest");
        assertThat(worker.tags).containsEntry("app:latest", r.imageId());
        assertThat(worker.image(runImage).createdBy()).isEqualTo("/bin/sh -c echo hello");
        assertThat(cmdImage.createdBy()).isEqualTo("/bin/sh -c #(nop)  CMD [\"sh\"]");
        assertThat(cmdImage.config().cmd()).containsExactly("sh");
        assertThat(worker.runs.getFirst().argv()).containsExactly("/bin/sh", "-c", "echo hello");
        assertThat(worker.removed).hasSize(2);
    }

    @Test
    void secondBuildUsesCache() {
        String df = "FROM busybox\nENV A=1\nRUN echo hello\nCOPY hello.txt /\n";
        BuildResult first = build(df, BuildOptions.defaults(), new RecordingOutput());
        RecordingOutput out = new RecordingOutput();
        BuildResult second = build(df, BuildOptions.defaults(), out);
        assertThat(second.imageId()).isEqualTo(first.imageId());
        assertThat(out.text.toString()).doesNotContain("Running in");
        assertThat(out.lines().stream().filter(" ---> Using cache"::equals)).hasSize(3);
        assertThat(worker.runs).hasSize(1);

        RecordingOutput nc = new RecordingOutput();
        BuildResult third = build(df, BuildOptions.defaults().withNoCache(true), nc);
        assertThat(nc.text.toString()).doesNotContain("Using cache");
        assertThat(third.imageId()).isNotEqualTo(first.imageId());
    }

    @Test
    void copyPrintsNoContainerAndInvalidatesOnContentChange() {
        String df = "FROM busybox\nCOPY hello.txt /x/\nRUN echo done\n";
        RecordingOutput out = new RecordingOutput();
        BuildResult r = builder.build(df, TestContexts.of("hello.txt", "hi"), BuildOptions.defaults(), out);
        assertThat(out.lines().get(3)).matches(" ---> [0-9a-f]{12}");
        FakeWorker.Image copy = worker.image(worker.image(r.imageId()).parent());
        assertThat(copy.createdBy()).matches("/bin/sh -c #\\(nop\\) COPY file:[0-9a-f]{64} in /x/ ");
        assertThat(copy.files()).containsExactly("/x/hello.txt");

        RecordingOutput same = new RecordingOutput();
        builder.build(df, TestContexts.of("hello.txt", "hi", "other.txt", "new"), BuildOptions.defaults(), same);
        assertThat(same.lines().stream().filter(" ---> Using cache"::equals)).hasSize(2);

        RecordingOutput changed = new RecordingOutput();
        builder.build(df, TestContexts.of("hello.txt", "HI"), BuildOptions.defaults(), changed);
        assertThat(changed.text.toString()).doesNotContain("Using cache");
    }

    @Test
    void buildkitOnlyFlagsFailLikeClassicBuilder() {
        RecordingOutput out = new RecordingOutput();
        assertThatThrownBy(() -> build("FROM busybox\nRUN echo a\nRUN --mount=type=cache,target=/c echo b\n",
                BuildOptions.defaults(), out)).hasMessage(
                "the --mount option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to"
                        + " build images with BuildKit enabled");
        assertThat(out.text.toString()).contains("Step 3/3 : RUN --mount=type=cache,target=/c echo b");
        assertThat(worker.runs).hasSize(1);
        assertThatThrownBy(() -> build("FROM busybox\nRUN --network=none true\n", BuildOptions.defaults(),
                new RecordingOutput())).hasMessageStartingWith("the --network option requires BuildKit.");
        assertThatThrownBy(() -> build("FROM busybox\nCOPY --chmod=755 hello.txt /\n", BuildOptions.defaults(),
                new RecordingOutput())).hasMessageStartingWith("the --chmod option requires BuildKit.");
        assertThatThrownBy(() -> build("FROM busybox\nCOPY --link hello.txt /\n", BuildOptions.defaults(),
                new RecordingOutput())).hasMessageStartingWith("the --link option requires BuildKit.");
        assertThatThrownBy(() -> build("FROM busybox\nADD --checksum=sha256:x hello.txt /\n", BuildOptions.defaults(),
                new RecordingOutput())).hasMessageStartingWith("the --checksum option requires BuildKit.");
    }

    @Test
    void failingRunAlwaysRemovesItsContainer() {
        // unlike classic dockerd without --force-rm: a failed step leaves no container behind
        assertThatThrownBy(() -> build("FROM busybox\nRUN exit 3\n", BuildOptions.defaults().withRemove(false, false),
                new RecordingOutput()))
                .isInstanceOfSatisfying(CommandFailedException.class, e -> assertThat(e.exitCode()).isEqualTo(3))
                .hasMessage("The command '/bin/sh -c exit 3' returned a non-zero code: 3");
        assertThat(worker.removed).hasSize(1);
        assertThatThrownBy(() -> build("FROM busybox\nRUN exit 3\n", BuildOptions.defaults(), new RecordingOutput()))
                .isInstanceOf(CommandFailedException.class);
        assertThat(worker.removed).hasSize(2);
    }

    @Test
    void noRemoveKeepsIntermediateContainers() {
        RecordingOutput out = new RecordingOutput();
        build("FROM busybox\nRUN echo a\n", BuildOptions.defaults().withRemove(false, false), out);
        assertThat(out.text.toString()).doesNotContain("Removed intermediate");
        assertThat(worker.removed).isEmpty();
    }

    @Test
    void scratchAndEmptyResult() {
        RecordingOutput out = new RecordingOutput();
        BuildResult r = build("FROM scratch\nCOPY hello.txt /\n", BuildOptions.defaults(), out);
        assertThat(out.lines().get(1)).isEqualTo(" ---> ");
        assertThat(worker.image(r.imageId()).parent()).isNull();
        assertThatThrownBy(() -> build("FROM scratch\n", BuildOptions.defaults(), new RecordingOutput()))
                .hasMessage("No image was generated. Is your Dockerfile empty?");
    }

    @Test
    void unknownBaseImage() {
        assertThatThrownBy(() -> build("FROM nope\n", BuildOptions.defaults(), new RecordingOutput()))
                .hasMessageContaining("pull access denied for nope");
    }

    @Test
    void quietSuppressesStreamButNotAux() {
        RecordingOutput out = new RecordingOutput();
        BuildResult r = build("FROM busybox\nRUN echo x\n", new BuildOptions(List.of(), Map.of(), null, false, false,
                true, false, true, null, null, Map.of(), null), out);
        assertThat(out.text.toString()).isEmpty();
        assertThat(out.aux).containsExactly(r.imageId());
    }

    @Test
    void labelsOptionAddsAStep() {
        RecordingOutput out = new RecordingOutput();
        BuildResult r = build("FROM busybox\n", BuildOptions.defaults().withLabels(Map.of("b", "2", "a", "$x 1")), out);
        assertThat(out.text.toString()).contains("Step 2/2 : LABEL a=$x 1 b=2\n");
        assertThat(worker.image(r.imageId()).config().labels()).containsEntry("a", "$x 1").containsEntry("b", "2");
    }
}
