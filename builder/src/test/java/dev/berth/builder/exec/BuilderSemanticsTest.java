package dev.berth.builder.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.builder.context.TestContexts;
import dev.berth.oci.image.ContainerConfig;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuilderSemanticsTest {
    private final FakeWorker worker = new FakeWorker();
    private final Builder builder = new Builder(worker);
    private final RecordingOutput out = new RecordingOutput();

    private ContainerConfig build(String dockerfile) {
        return build(dockerfile, BuildOptions.defaults());
    }

    private ContainerConfig build(String dockerfile, BuildOptions opts) {
        BuildResult r = builder.build(dockerfile, TestContexts.of("hello.txt", "hi", "a.txt", "a", "b.txt", "b",
                "src/", null, "src/x.go", "x"), opts, out);
        return worker.image(r.imageId()).config();
    }

    private FakeWorker.Image last() {
        return worker.images.values().stream().reduce((a, b) -> b).orElseThrow();
    }

    private static Map<String, String> args(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void envSubstitutionAndReplacement() {
        ContainerConfig c = build("""
                FROM busybox
                ENV FOO=/bar abc=hello
                ENV abc=bye def=$abc
                ENV ghi=$abc
                WORKDIR ${FOO}
                ENV PATH=/x:$PATH
                """);
        assertThat(c.env()).containsExactly("PATH=/x:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "FOO=/bar", "abc=bye", "def=hello", "ghi=bye");
        assertThat(c.workingDir()).isEqualTo("/bar");
        assertThat(worker.mkdirs).containsExactly("/bar");
    }

    @Test
    void argScopingAndBuildArgs() {
        build("""
                ARG VERSION=latest
                FROM busybox
                USER ${username:-some_user}
                ARG username
                USER $username
                RUN echo $VERSION
                ARG VERSION
                RUN echo v
                """, BuildOptions.defaults().withBuildArgs(args("username", "what_user")));
        List<FakeWorker.Image> imgs = List.copyOf(worker.images.values());
        assertThat(imgs.stream().map(FakeWorker.Image::createdBy)).contains(
                "/bin/sh -c #(nop)  USER some_user", "/bin/sh -c #(nop)  USER what_user",
                "|1 username=what_user /bin/sh -c echo $VERSION",
                "|2 VERSION=latest username=what_user /bin/sh -c echo v");
        assertThat(worker.runs.get(0).env()).contains("username=what_user").noneMatch(e -> e.startsWith("VERSION="));
        assertThat(worker.runs.get(1).env()).contains("VERSION=latest");
        assertThat(out.text.toString()).doesNotContain("[Warning]");
    }

    @Test
    void envOverridesArg() {
        ContainerConfig c = build("""
                FROM busybox
                ARG CONT_IMG_VER
                ENV CONT_IMG_VER=v1.0.0
                RUN echo $CONT_IMG_VER
                """, BuildOptions.defaults().withBuildArgs(args("CONT_IMG_VER", "v2.0.1")));
        assertThat(c.env()).contains("CONT_IMG_VER=v1.0.0");
        assertThat(worker.runs.getFirst().env()).contains("CONT_IMG_VER=v1.0.0").doesNotContain("CONT_IMG_VER=v2.0.1");
        ContainerConfig d = build("""
                FROM busybox
                ARG CONT_IMG_VER
                ENV CONT_IMG_VER=${CONT_IMG_VER:-v1.0.0}
                """);
        assertThat(d.env()).contains("CONT_IMG_VER=v1.0.0");
    }

    @Test
    void proxyArgsUsableButNotInHistoryOrCache() {
        build("FROM busybox\nRUN echo hello\n", BuildOptions.defaults().withBuildArgs(
                args("HTTP_PROXY", "http://user:pass@proxy.lon.example.com")));
        assertThat(worker.runs.getFirst().env()).contains("HTTP_PROXY=http://user:pass@proxy.lon.example.com");
        assertThat(last().createdBy()).isEqualTo("|0 /bin/sh -c echo hello");
        RecordingOutput again = new RecordingOutput();
        builder.build("FROM busybox\nRUN echo hello\n", TestContexts.of(), BuildOptions.defaults().withBuildArgs(
                args("HTTP_PROXY", "http://user:pass@proxy.sfo.example.com")), again);
        assertThat(again.text.toString()).contains("Using cache");

        build("FROM busybox\nARG HTTP_PROXY\nRUN echo hello\n", BuildOptions.defaults().withBuildArgs(
                args("HTTP_PROXY", "http://p")));
        assertThat(last().createdBy()).isEqualTo("|1 HTTP_PROXY=http://p /bin/sh -c echo hello");
    }

    @Test
    void argChangeInvalidatesFirstUse() {
        String df = "FROM busybox\nARG CONT_IMG_VER\nRUN echo hello\n";
        build(df, BuildOptions.defaults().withBuildArgs(args("CONT_IMG_VER", "1")));
        RecordingOutput second = new RecordingOutput();
        builder.build(df, TestContexts.of(), BuildOptions.defaults().withBuildArgs(args("CONT_IMG_VER", "2")), second);
        assertThat(second.lines().stream().filter(" ---> Using cache"::equals)).hasSize(1); // the ARG step only
    }

    @Test
    void unconsumedBuildArgsWarning() {
        build("FROM busybox\n", BuildOptions.defaults().withBuildArgs(args("foo", "1", "bar", "2", "no_proxy", "x")));
        assertThat(out.text.toString()).contains("[Warning] One or more build-args [bar foo] were not consumed\n");
    }

    @Test
    void metaArgsPrintedAsSteps() {
        build("ARG TAG=x\nARG BASE=busybox\nFROM $BASE\n");
        assertThat(out.lines().subList(0, 3)).containsExactly("Step 1/3 : ARG TAG=x", "Step 2/3 : ARG BASE=busybox",
                "Step 3/3 : FROM $BASE");
        assertThat(worker.pulls).containsExactly("busybox");
    }

    @Test
    void metadataInstructions() {
        ContainerConfig c = build("""
                FROM busybox
                LABEL "com.example.vendor"="ACME Incorporated" version=1.0
                MAINTAINER SvenDowideit@home.org.au
                ENV PORTS="8000-8001/udp 9000"
                EXPOSE 80 $PORTS
                VOLUME ["/data"]
                VOLUME /var/log /var/db
                USER 1000:1000
                WORKDIR /a
                WORKDIR b
                WORKDIR c
                STOPSIGNAL SIGKILL
                SHELL ["/bin/bash", "-c"]
                ENTRYPOINT exec top -b
                HEALTHCHECK --interval=5m --timeout=3s CMD curl -f http://localhost/ || exit 1
                """);
        assertThat(c.labels()).containsEntry("com.example.vendor", "ACME Incorporated").containsEntry("version", "1.0");
        assertThat(c.exposedPorts()).containsOnlyKeys("80/tcp", "8000/udp", "8001/udp", "9000/tcp");
        assertThat(c.volumes()).containsOnlyKeys("/data", "/var/log", "/var/db");
        assertThat(c.user()).isEqualTo("1000:1000");
        assertThat(c.workingDir()).isEqualTo("/a/b/c");
        assertThat(c.stopSignal()).isEqualTo("SIGKILL");
        assertThat(c.shell()).containsExactly("/bin/bash", "-c");
        assertThat(c.entrypoint()).containsExactly("/bin/bash", "-c", "exec top -b");
        assertThat(c.cmd()).isNull();
        assertThat(c.healthcheck().test()).containsExactly("CMD-SHELL", "curl -f http://localhost/ || exit 1");
        assertThat(c.healthcheck().interval()).isEqualTo(300_000_000_000L);
        List<String> history = worker.images.values().stream().map(FakeWorker.Image::createdBy).toList();
        assertThat(history).contains(
                "/bin/sh -c #(nop)  LABEL com.example.vendor=ACME Incorporated version=1.0",
                "/bin/sh -c #(nop)  MAINTAINER SvenDowideit@home.org.au",
                "/bin/sh -c #(nop)  EXPOSE 80 8000-8001/udp 9000",
                "/bin/sh -c #(nop)  VOLUME [/var/log /var/db]",
                "/bin/sh -c #(nop)  WORKDIR /a/b/c",
                "/bin/bash -c #(nop)  SHELL [/bin/bash -c]",
                "/bin/bash -c #(nop)  ENTRYPOINT [\"/bin/bash\" \"-c\" \"exec top -b\"]",
                "/bin/bash -c #(nop)  HEALTHCHECK &{[\"CMD-SHELL\" \"curl -f http://localhost/ || exit 1\"] \"5m0s\" \"3s\" \"0s\" \"0s\" '\\x00'}");
        assertThat(last().author()).isEqualTo("SvenDowideit@home.org.au");
    }

    @Test
    void cmdBeforeEntrypointIsKept() {
        ContainerConfig c = build("FROM busybox\nCMD [\"-d\"]\nENTRYPOINT [\"/run\"]\n");
        assertThat(c.cmd()).containsExactly("-d");
        ContainerConfig d = build("FROM busybox\nENTRYPOINT [\"/run\"]\n");
        assertThat(d.cmd()).isNull();
    }

    @Test
    void invalidValues() {
        assertThatThrownBy(() -> build("FROM busybox\nSTOPSIGNAL SIGNOPE\n")).hasMessage("Invalid signal: SIGNOPE");
        assertThatThrownBy(() -> build("FROM busybox\nEXPOSE 80/xyz\n")).hasMessage("invalid proto: xyz");
        assertThatThrownBy(() -> build("FROM busybox\nVOLUME [\"\"]\n"))
                .hasMessage("VOLUME specified can not be an empty string");
        assertThatThrownBy(() -> build("FROM busybox\nUSER ${U:?needs a user}\n")).hasMessage("U: needs a user");
        assertThatThrownBy(() -> build("FROM ${NOPE}\n")).hasMessage("base name (${NOPE}) should not be blank");
    }

    @Test
    void copyRules() {
        build("FROM busybox\nWORKDIR /usr/src/app\nCOPY hello.txt rel/\nCOPY *.txt /dest/\nCOPY src .\n");
        List<BuildWorker.CopyRequest> copies = worker.copies;
        assertThat(copies.get(0).destination()).isEqualTo("/usr/src/app/rel/");
        assertThat(copies.get(1).destinationIsDirectory()).isTrue();
        assertThat(copies.get(2).destination()).isEqualTo("/usr/src/app");
        List<List<String>> files = worker.images.values().stream().map(FakeWorker.Image::files)
                .filter(f -> !f.isEmpty()).toList();
        assertThat(files).containsExactly(List.of("/usr/src/app/rel/hello.txt"),
                List.of("/dest/a.txt", "/dest/b.txt", "/dest/hello.txt"),
                List.of("/usr/src/app", "/usr/src/app/x.go"));
        assertThat(worker.images.values().stream().map(FakeWorker.Image::createdBy))
                .anyMatch(h -> h.matches("/bin/sh -c #\\(nop\\) COPY multi:[0-9a-f]{64} in /dest/ "))
                .anyMatch(h -> h.matches("/bin/sh -c #\\(nop\\) COPY dir:[0-9a-f]{64} in /usr/src/app "));
    }

    @Test
    void copyErrors() {
        assertThatThrownBy(() -> build("FROM busybox\nCOPY a.txt b.txt /dest\n")).hasMessage(
                "When using COPY with more than one source file, the destination must be a directory and end with a /");
        assertThatThrownBy(() -> build("FROM busybox\nCOPY missing.txt /\n")).hasMessage(
                "COPY failed: file not found in build context or excluded by .dockerignore: stat missing.txt: file does not exist");
        assertThatThrownBy(() -> build("FROM busybox\nADD *.gif /\n")).hasMessage(
                "ADD failed: no source files were specified");
    }

    @Test
    void copyChownAndSubstitution() {
        // "\$FOO" is a literal file name, not a variable
        assertThatThrownBy(() -> build("FROM busybox\nENV FOO=hello.txt\nCOPY \\$FOO /\n"))
                .hasMessageContaining("stat $FOO: file does not exist");
        build("FROM busybox\nENV FOO=hello.txt\nCOPY $FOO /\n");
        assertThat(worker.copies).hasSize(1);
    }

    @Test
    void copyChownExpanded() {
        build("FROM busybox\nARG OWNER=55:mygroup\nCOPY --chown=$OWNER hello.txt /\n");
        assertThat(worker.copies.getFirst().chown()).isEqualTo("55:mygroup");
        assertThat(worker.copies.getFirst().preserveOwnership()).isFalse();
    }

    @Test
    void heredocs() {
        build("""
                FROM busybox
                ARG FOO=bar
                COPY <<-EOT /script.sh
                	echo "hello ${FOO}"
                EOT
                COPY <<"EOT" /raw.sh
                echo "hello ${FOO}"
                EOT
                RUN <<EOF
                echo one
                EOF
                RUN <<FILE1 cat > file1 && <<FILE2 cat > file2
                I am
                first
                FILE1
                I am
                second
                FILE2
                """);
        var inline0 = (BuildWorker.CopySource.Inline) worker.copies.get(0).sources().getFirst();
        assertThat(new String(inline0.content(), StandardCharsets.UTF_8)).isEqualTo("echo \"hello bar\"\n");
        var inline1 = (BuildWorker.CopySource.Inline) worker.copies.get(1).sources().getFirst();
        assertThat(new String(inline1.content(), StandardCharsets.UTF_8)).isEqualTo("echo \"hello ${FOO}\"\n");
        assertThat(worker.runs.get(0).argv()).containsExactly("/bin/sh", "-c", "echo one\n");
        assertThat(worker.runs.get(1).argv().getLast()).isEqualTo(
                "<<FILE1 cat > file1 && <<FILE2 cat > file2\nI am\nfirst\nFILE1\nI am\nsecond\nFILE2");
    }

    @Test
    void heredocWithShebangRunsAsScript() {
        build("FROM busybox\nRUN <<EOT\n#!/usr/bin/env python\nprint(\"hello world\")\nEOT\n");
        String script = worker.runs.getFirst().argv().getLast();
        assertThat(script).startsWith("__berth_f=$(mktemp) && cat > \"$__berth_f\" <<'BERTH_EOF_")
                .contains("\n#!/usr/bin/env python\nprint(\"hello world\")\nBERTH_EOF_")
                .endsWith("exit $__berth_rc");
    }

    @Test
    void nodeCorpusBuildsEndToEnd() throws Exception {
        worker.addBase("node:20-alpine", new ContainerConfig(null, null, List.of("PATH=/usr/bin", "NODE_VERSION=20"),
                List.of("docker-entrypoint.sh"), List.of("node"), null, null, null, null, null, null, null, null));
        RecordingOutput o = new RecordingOutput();
        BuildResult r = builder.build(dev.berth.builder.parse.CorpusTest.resource("node.Dockerfile"),
                TestContexts.of("package.json", "{}", "package-lock.json", "{}", "server.js", "x"),
                BuildOptions.defaults().withTags(List.of("web:1")), o);
        assertThat(o.text.toString()).contains("Step 13/13 : CMD [\"node\", \"server.js\"]\n")
                .contains("Successfully tagged web:1\n");
        ContainerConfig c = worker.image(r.imageId()).config();
        assertThat(c.exposedPorts()).containsOnlyKeys("3000/tcp");
        assertThat(c.user()).isEqualTo("node");
        assertThat(c.entrypoint()).containsExactly("docker-entrypoint.sh");
        assertThat(c.cmd()).containsExactly("node", "server.js");
        assertThat(c.healthcheck().test()).containsExactly("CMD-SHELL",
                "wget -qO- http://localhost:${PORT}/health || exit 1");
        assertThat(c.env()).containsExactly("PATH=/usr/bin", "NODE_VERSION=20", "NODE_ENV=production", "PORT=3000");
        assertThat(worker.runs.getFirst().argv()).containsExactly("/bin/sh", "-c",
                "npm ci --omit=dev     && npm cache clean --force");
        assertThat(worker.runs.getFirst().workingDir()).isEqualTo("/app");
        assertThat(o.aux).hasSize(2);
    }

    @Test
    void addUrlDownloadsThroughTheWorker() {
        build("FROM busybox\nADD https://example.com/foobar /\n");
        var d = (BuildWorker.CopySource.Downloaded) worker.copies.getFirst().sources().getFirst();
        assertThat(d.name()).isEqualTo("foobar");
        assertThat(worker.copies.getFirst().allowDecompression()).isTrue();
        assertThat(last().createdBy()).matches("/bin/sh -c #\\(nop\\) ADD file:[0-9a-f]{64} in / ");
        assertThatThrownBy(() -> build("FROM busybox\nADD https://github.com/moby/buildkit.git#v0.10.1 /b\n"))
                .hasMessageContaining("Git repository is not supported");
    }

    @Test
    void configStepsWithoutContainers() {
        worker.configContainers = false;
        build("FROM busybox\nENV A=1\n");
        assertThat(out.text.toString()).doesNotContain("Running in").doesNotContain("Removed");
    }

    @Test
    void multiStageWithTarget() {
        String df = """
                FROM busybox AS build
                RUN echo compile
                FROM busybox AS unused
                RUN echo never
                FROM busybox AS final
                COPY --from=build /app /app
                COPY --from=0 /lib /lib
                """;
        RecordingOutput o = new RecordingOutput();
        BuildResult r = builder.build(df, TestContexts.of(), BuildOptions.defaults(), o);
        assertThat(o.text.toString()).doesNotContain("never").contains("Step 1/5 : FROM busybox AS build")
                .contains("Step 3/5 : FROM busybox AS final").contains("Step 5/5 : COPY --from=0 /lib /lib");
        assertThat(o.aux).hasSize(2).last().isEqualTo(r.imageId());
        String buildImage = o.aux.getFirst();
        var src = (BuildWorker.CopySource.FromImage) worker.copies.getFirst().sources().getFirst();
        assertThat(src.imageId()).isEqualTo(buildImage);
        assertThat(src.path()).isEqualTo("/app");
        assertThat(worker.copies.getFirst().preserveOwnership()).isTrue();

        RecordingOutput t = new RecordingOutput();
        builder.build(df, TestContexts.of(), BuildOptions.defaults().withTarget("build"), t);
        assertThat(t.text.toString()).contains("Step 2/2 : RUN echo compile").doesNotContain("final");
        assertThatThrownBy(() -> builder.build(df, TestContexts.of(), BuildOptions.defaults().withTarget("x"),
                new RecordingOutput())).hasMessage("target stage \"x\" could not be found");
    }

    @Test
    void stageInheritsEnvAndArgsFromParentStage() {
        ContainerConfig c = build("""
                FROM busybox AS base
                ENV A=1
                ARG B=2
                FROM base
                RUN echo x
                """);
        assertThat(c.env()).contains("A=1");
        assertThat(worker.runs.getFirst().env()).contains("B=2");
    }

    @Test
    void copyFromImage() {
        worker.addBase("nginx:latest", null);
        build("FROM busybox\nCOPY --from=nginx:latest /etc/nginx/nginx.conf /nginx.conf\n");
        var src = (BuildWorker.CopySource.FromImage) worker.copies.getFirst().sources().getFirst();
        assertThat(src.imageId()).isEqualTo(worker.refs.get("nginx:latest"));
    }

    @Test
    void onbuildTriggersRunInDownstreamBuild() {
        build("FROM busybox\nONBUILD RUN echo triggered\nONBUILD COPY hello.txt /app/\n");
        FakeWorker.Image parent = last();
        assertThat(parent.config().onBuild()).containsExactly("RUN echo triggered", "COPY hello.txt /app/");
        worker.refs.put("parent", parent.id());
        RecordingOutput o = new RecordingOutput();
        BuildResult r = builder.build("FROM parent\nRUN echo after\n", TestContexts.of("hello.txt", "x"),
                BuildOptions.defaults(), o);
        assertThat(o.text.toString()).contains("# Executing 2 build triggers\n").contains("triggered\n");
        assertThat(worker.image(r.imageId()).config().onBuild()).isNull();
        assertThat(worker.copies).hasSize(1);
    }

    @Test
    void healthcheckOverrideNote() {
        build("FROM busybox\nHEALTHCHECK CMD a\nHEALTHCHECK NONE\n");
        assertThat(out.text.toString()).contains("Note: overriding previous HEALTHCHECK: [CMD-SHELL a]\n");
    }

    @Test
    void prepareReadsDockerfileAndIgnore() {
        var raw = TestContexts.of("Dockerfile", "FROM busybox\nCOPY . /app/\n", ".dockerignore",
                "*.log\nDockerfile\n.dockerignore\n", "a.log", "x", "keep.txt", "k");
        Builder.Prepared p = Builder.prepare(raw, null);
        assertThat(p.dockerfile()).startsWith("FROM busybox");
        assertThat(p.context().entries().stream().map(e -> e.path())).containsExactly("keep.txt");
        builder.build(p.dockerfile(), p.context(), BuildOptions.defaults(), out);
        assertThat(worker.images.values().stream().reduce((a, b) -> b).orElseThrow().files())
                .containsExactly("/app", "/app/keep.txt");
        assertThatThrownBy(() -> Builder.prepare(raw, "Other.Dockerfile"))
                .hasMessage("Cannot locate specified Dockerfile: Other.Dockerfile");
    }
}
