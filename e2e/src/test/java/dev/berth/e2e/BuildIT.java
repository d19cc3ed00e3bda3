package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code docker build} (classic builder, DOCKER_BUILDKIT=0) with the real docker CLI: a multi-stage
 * build whose independent stages run at the same time, --target, a rebuild that is all cache
 * hits, a one-file change that reruns only what depends on it, build args, .dockerignore, the
 * result runs; plus BuildKit-only flags refused, a failing RUN's exit code, RUN limits and prune.
 */
class BuildIT extends E2E {
    BuildIT(Engine e) {
        super(e);
    }

    private static final String MULTI = """
            FROM busybox AS a
            COPY a.txt /a.txt
            RUN cut -d' ' -f1 /proc/uptime > /a.start && sleep 2 && cat /a.txt > /out-a && cut -d' ' -f1 /proc/uptime > /a.end
            FROM busybox AS b
            ARG GREETING=hello
            COPY b.txt /b.txt
            RUN cut -d' ' -f1 /proc/uptime > /b.start && sleep 2 && echo "$GREETING $(cat /b.txt)" > /out-b && cut -d' ' -f1 /proc/uptime > /b.end
            FROM busybox AS unused
            RUN echo never-built
            FROM busybox
            COPY --from=a /out-a /a.start /a.end /
            COPY --from=b /out-b /b.start /b.end /
            COPY c.txt /c.txt
            CMD ["cat", "/out-a", "/out-b"]
            """;

    private Path context(String dockerfile, Map<String, String> files) {
        Path dir = e.dir.resolve(Engine.name("ctx"));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("Dockerfile"), dockerfile);
            for (Map.Entry<String, String> f : files.entrySet()) {
                Files.writeString(dir.resolve(f.getKey()), f.getValue());
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return dir;
    }

    private Cmd.Result build(Path ctx, String... args) {
        StringBuilder line = new StringBuilder("DOCKER_BUILDKIT=0 " + Engine.DOCKER + " build");
        for (String a : args) {
            line.append(" '").append(a.replace("'", "'\\''")).append('\'');
        }
        line.append(" '").append(ctx).append('\'');
        return Cmd.run(List.of("bash", "-c", line.toString()), e.env(), null, Duration.ofSeconds(120));
    }

    private String built(Path ctx, String... args) {
        Cmd.Result r = build(ctx, args);
        assertThat(r.exit()).as(r.describe()).isZero();
        return r.out();
    }

    /** Step text ("COPY a.txt /a.txt") → the lines printed for that step. */
    private static Map<String, List<String>> steps(String out) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        List<String> cur = null;
        for (String l : out.split("\n")) {
            if (l.startsWith("Step ")) {
                cur = new ArrayList<>();
                m.put(l.substring(l.indexOf(" : ") + 3), cur);
            } else if (cur != null && !l.startsWith("Successfully")) {
                cur.add(l);
            }
        }
        return m;
    }

    private static boolean cached(Map<String, List<String>> steps, String step) {
        assertThat(steps).containsKey(step);
        return steps.get(step).contains(" ---> Using cache");
    }

    @Test
    void multiStageParallelCacheArgsIgnoreTargetAndRun() {
        Path ctx = context(MULTI, Map.of("a.txt", "A\n", "b.txt", "B\n", "c.txt", "C\n", "secret.txt", "no\n",
                ".dockerignore", "secret.txt\n"));
        String image = Engine.name("multi") + ":1";
        String first = built(ctx, "--build-arg", "GREETING=hey", "-t", image);
        Map<String, List<String>> s1 = steps(first);
        assertThat(s1).doesNotContainKey("RUN echo never-built"); // only the stages the target needs
        assertThat(s1).hasSize(12);
        assertThat(first).contains("Successfully tagged " + image);
        // the result runs; build arg and both stages' output are in it
        assertThat(ok("run", "--rm", image)).isEqualTo("A\nhey B\n");
        // .dockerignore: the ignored file never reached the daemon
        assertThat(docker("run", "--rm", image, "ls", "/secret.txt").exit()).isNotZero();
        // the two independent RUNs overlapped in time (host uptime, seconds)
        String[] t = ok("run", "--rm", image, "cat", "/a.start", "/a.end", "/b.start", "/b.end").trim().split("\n");
        double aStart = Double.parseDouble(t[0]), aEnd = Double.parseDouble(t[1]);
        double bStart = Double.parseDouble(t[2]), bEnd = Double.parseDouble(t[3]);
        assertThat(aStart < bEnd && bStart < aEnd).as("RUNs of stages a [%s,%s] and b [%s,%s] overlap",
                aStart, aEnd, bStart, bEnd).isTrue();

        // nothing changed: every step after each FROM is a cache hit, same image
        String id1 = ok("image", "inspect", "-f", "{{.Id}}", image).trim();
        Map<String, List<String>> s2 = steps(built(ctx, "--build-arg", "GREETING=hey", "-t", image));
        s2.forEach((step, lines) -> {
            if (!step.startsWith("FROM ")) {
                assertThat(lines).as(step).contains(" ---> Using cache");
            }
        });
        assertThat(ok("image", "inspect", "-f", "{{.Id}}", image).trim()).isEqualTo(id1);

        // one copied file changes: only what depends on it reruns
        try {
            Files.writeString(ctx.resolve("b.txt"), "B2\n");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Map<String, List<String>> s3 = steps(built(ctx, "--build-arg", "GREETING=hey", "-t", image));
        assertThat(cached(s3, "COPY a.txt /a.txt")).isTrue();
        assertThat(cached(s3, "RUN cut -d' ' -f1 /proc/uptime > /a.start && sleep 2 && cat /a.txt > /out-a && cut -d' ' -f1 /proc/uptime > /a.end")).isTrue();
        assertThat(cached(s3, "ARG GREETING=hello")).isTrue();
        assertThat(cached(s3, "COPY b.txt /b.txt")).isFalse();
        assertThat(cached(s3, "COPY --from=a /out-a /a.start /a.end /")).isTrue();
        assertThat(cached(s3, "COPY --from=b /out-b /b.start /b.end /")).isFalse();
        assertThat(ok("run", "--rm", image)).isEqualTo("A\nhey B2\n");

        // a different build arg value invalidates the RUN that sees it
        Map<String, List<String>> s4 = steps(built(ctx, "--build-arg", "GREETING=bye", "-t", image));
        assertThat(cached(s4, "COPY b.txt /b.txt")).isTrue();
        assertThat(s4.entrySet().stream().filter(en -> en.getKey().startsWith("RUN cut") && en.getKey().contains("GREETING"))
                .allMatch(en -> !en.getValue().contains(" ---> Using cache"))).isTrue();
        assertThat(ok("run", "--rm", image)).isEqualTo("A\nbye B2\n");

        // --target: only stage a (and what it needs) is built, the result is that stage
        String target = Engine.name("target") + ":1";
        Map<String, List<String>> s5 = steps(built(ctx, "--target", "a", "-t", target));
        assertThat(s5.keySet()).hasSize(3).noneMatch(k -> k.contains("AS b"));
        assertThat(ok("run", "--rm", target, "cat", "/out-a")).isEqualTo("A\n");
        ok("rmi", target, image);
    }

    @Test
    void resultIsAnOrdinaryImageWithConfigAndHistory() {
        Path ctx = context("""
                FROM busybox
                ENV A=1 B=two
                WORKDIR /srv/app
                USER 1000:1000
                EXPOSE 8080/tcp 53/udp
                VOLUME /data
                LABEL org.example.k=v
                STOPSIGNAL SIGTERM
                HEALTHCHECK --interval=5s CMD true
                ONBUILD RUN echo child
                ENTRYPOINT ["sh", "-c"]
                CMD ["echo $A $B"]
                """, Map.of());
        String image = Engine.name("cfg") + ":1";
        built(ctx, "-t", image, "--label", "extra=yes");
        String cfg = ok("image", "inspect", "-f",
                "{{.Config.Env}}|{{.Config.WorkingDir}}|{{.Config.User}}|{{json .Config.ExposedPorts}}|{{json .Config.Volumes}}"
                        + "|{{json .Config.Labels}}|{{.Config.StopSignal}}|{{.Config.Healthcheck.Test}}|{{.Config.OnBuild}}"
                        + "|{{.Config.Entrypoint}}|{{.Config.Cmd}}", image).trim();
        assertThat(cfg).isEqualTo("[PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin A=1 B=two]|/srv/app|1000:1000"
                + "|{\"53/udp\":{},\"8080/tcp\":{}}|{\"/data\":{}}|{\"extra\":\"yes\",\"org.example.k\":\"v\"}|SIGTERM"
                + "|[CMD-SHELL true]|[RUN echo child]|[sh -c]|[echo $A $B]");
        String history = ok("history", "--no-trunc", "--format", "{{.CreatedBy}}", image);
        assertThat(history).contains("#(nop)  CMD [\"echo $A $B\"]", "WORKDIR /srv/app", "#(nop)  ENV A=1 B=two");
        assertThat(ok("run", "--rm", "--user", "0", image)).isEqualTo("1 two\n");
        ok("rmi", image);
    }

    @Test
    void scratchCopyWorksAndRunInScratchFailsLikeDocker() {
        Path ctx = context("FROM scratch\nCOPY f /f\n", Map.of("f", "hi\n", "Dockerfile.run", "FROM scratch\nRUN echo hi\n"));
        String image = Engine.name("scratch") + ":1";
        built(ctx, "-t", image);
        assertThat(ok("image", "inspect", "-f", "{{len .RootFS.Layers}}", image).trim()).isEqualTo("1");
        Cmd.Result run = build(ctx, "-f", ctx.resolve("Dockerfile.run").toString());
        assertThat(run.exit()).isNotZero();
        assertThat(run.out() + run.err()).contains("exec: \"/bin/sh\": stat /bin/sh: no such file or directory");
        ok("rmi", image);
    }

    @Test
    void failingRunBuildKitFlagsAndLimits() {
        Path ctx = context("FROM busybox\nRUN exit 3\n", Map.of(
                "Dockerfile.mount", "FROM busybox\nRUN --mount=type=cache,target=/c echo hi\n",
                "Dockerfile.limits", "FROM busybox\nRUN cat /sys/fs/cgroup/memory/memory.limit_in_bytes"
                        + " /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.shares && df -k /dev/shm | tail -1\n"));
        Cmd.Result fail = build(ctx);
        assertThat(fail.exit()).isEqualTo(3); // the CLI exits with the RUN's code, as with dockerd
        assertThat(fail.err()).contains("The command '/bin/sh -c exit 3' returned a non-zero code: 3");
        Cmd.Result mount = build(ctx, "-f", ctx.resolve("Dockerfile.mount").toString());
        assertThat(mount.exit()).isNotZero();
        assertThat(mount.err()).contains("the --mount option requires BuildKit");
        String limits = built(ctx, "-f", ctx.resolve("Dockerfile.limits").toString(), "--no-cache", "-m", "64m", "--cpu-quota", "50000",
                "--cpu-shares", "512", "--shm-size", "32m");
        assertThat(limits).contains("67108864\n50000\n512\n").containsPattern("shm\\s+32768 ");
    }

    @Test
    void pruneRemovesUnusedCacheAndReportsBytes() {
        Path ctx = context("FROM busybox\nCOPY f /f\nRUN dd if=/dev/zero of=/big bs=1k count=512\n", Map.of("f", "1\n"));
        built(ctx); // untagged result: its cache is neither shared nor in use
        Cmd.Result prune = docker("builder", "prune", "-f");
        assertThat(prune.exit()).as(prune.describe()).isZero();
        assertThat(prune.out()).containsPattern("Total reclaimed space: [1-9][0-9.]*[kM]B");
        assertThat(steps(built(ctx)).get("COPY f /f")).doesNotContain(" ---> Using cache");
    }

    @Test
    void runMountsCacheAndSecretWithTheBerthFlag() throws IOException {
        // what berth's CLI sends: berthmounts=1, secrets in the context under .berth-secrets/<id>
        Path ctx = context("FROM busybox\nRUN --mount=type=secret,id=tok --mount=type=cache,target=/cache"
                + " echo \"secret=$(cat /run/secrets/tok)\" && echo run >> /cache/runs && wc -l < /cache/runs\n"
                + "COPY . /ctx/\n", Map.of());
        Files.createDirectories(ctx.resolve(".berth-secrets"));
        Files.writeString(ctx.resolve(".berth-secrets/tok"), "s3cr3t");
        String image = Engine.name("mounts") + ":1";
        String api = "curl -s --unix-socket " + e.env().get("DOCKER_HOST").substring(7)
                + " -X POST -H 'Content-Type: application/x-tar' --data-binary @- "
                + "'http://x/v1.47/build?berthmounts=1&nocache=1&t=" + image + "'";
        String first = e.sh("tar -C '" + ctx + "' -cf - . | " + api).out();
        assertThat(first).contains("secret=s3cr3t").contains("Successfully tagged " + image);
        String second = e.sh("tar -C '" + ctx + "' -cf - . | " + api).out();
        assertThat(second).contains("secret=s3cr3t").contains("2\\n"); // the cache dir survived the build
        assertThat(ok("run", "--rm", image, "sh", "-c", "ls -A /ctx; cat /run/secrets/tok | wc -c")).isEqualTo("Dockerfile\n0\n");
        // the docker CLI path (no berthmounts) still refuses, as dockerd does
        Cmd.Result refused = build(ctx);
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("the --mount option requires BuildKit");
        ok("rmi", image);
    }

    @Test
    void aFailingStageStopsTheIndependentOneAndKeepsItsExitCode() {
        Path ctx = context("FROM busybox AS a\nRUN sleep 1; exit 3\nFROM busybox AS b\nRUN sleep 60\n"
                + "FROM busybox\nCOPY --from=a /bin/sh /x\nCOPY --from=b /bin/sh /y\n", Map.of());
        long t0 = System.nanoTime();
        Cmd.Result r = build(ctx, "--no-cache");
        assertThat(r.exit()).as(r.describe()).isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
        assertThat(eventually(Duration.ofSeconds(10), () -> !ok("ps", "-a", "--no-trunc", "--format", "{{.Command}}")
                .contains("sleep 60"))).as("the RUN of stage b is stopped and removed").isTrue();
        // berth removes the failed step's container too (dockerd would keep it without --force-rm)
        assertThat(ok("ps", "-a", "--no-trunc", "--format", "{{.Command}}")).doesNotContain("sleep 1; exit 3");
    }

    /** The names under the snapshot store (image layers and container writable layers). */
    private List<String> snapshots() {
        Path dir = e.dataRoot.resolve("snapshots/snapshots");
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Test
    void failingRunLeavesNoContainersOrSnapshotsAndHistoryShowsTheSteps() {
        Path ctx = context("FROM busybox\nENV X=1\nRUN echo ok > /ok\nCMD [\"sh\"]\n", Map.of(
                "Dockerfile.fail", "FROM busybox\nENV X=1\nRUN echo ok > /ok\nRUN echo partial > /p; exit 7\nCMD [\"sh\"]\n"));
        String image = Engine.name("hist") + ":1";
        built(ctx, "-t", image);
        // docker history: one entry per instruction, newest first, with dockerd's CreatedBy texts
        List<String> history = List.of(ok("history", "--no-trunc", "--format", "{{.CreatedBy}}", image).split("\n"));
        assertThat(history.subList(0, 3)).containsExactly("/bin/sh -c #(nop)  CMD [\"sh\"]", "/bin/sh -c echo ok > /ok",
                "/bin/sh -c #(nop)  ENV X=1");
        assertThat(history.size()).isEqualTo(3 + ok("history", "-q", "busybox").split("\n").length);

        // the same first steps are cached, so the failing build may add no image layer at all
        List<String> containersBefore = List.of(ok("ps", "-aq", "--no-trunc").split("\n"));
        List<String> snapshotsBefore = snapshots();
        Cmd.Result fail = build(ctx, "-f", ctx.resolve("Dockerfile.fail").toString());
        assertThat(fail.exit()).as(fail.describe()).isEqualTo(7);
        assertThat(fail.err()).contains("The command '/bin/sh -c echo partial > /p; exit 7' returned a non-zero code: 7");
        assertThat(steps(fail.out()).get("RUN echo ok > /ok")).contains(" ---> Using cache");
        assertThat(List.of(ok("ps", "-aq", "--no-trunc").split("\n"))).isEqualTo(containersBefore);
        assertThat(snapshots()).isEqualTo(snapshotsBefore);
        ok("rmi", image);
    }

    @Test
    void contextSymlinksAndDotDotCannotReachTheHost() throws IOException {
        Path ctx = context("FROM busybox\nCOPY host-link /l\nCOPY ../../in.txt /in.txt\n", Map.of("in.txt", "inside\n",
                "Dockerfile.dir", "FROM busybox\nCOPY etc-dir/hostname /h\n",
                "Dockerfile.up", "FROM busybox\nCOPY ../../../../etc/hostname /h\n"));
        Files.createSymbolicLink(ctx.resolve("host-link"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(ctx.resolve("etc-dir"), Path.of("/etc"));
        String image = Engine.name("links") + ":1";
        built(ctx, "-t", image);
        // the symlink itself is copied (its target is the container's own /etc/hostname); ../ stays in the context
        assertThat(ok("run", "--rm", image, "sh", "-c", "readlink /l; cat /in.txt")).isEqualTo("/etc/hostname\ninside\n");
        // a path through a symlinked directory, or ../ past the root, names nothing in the context
        for (String f : List.of("Dockerfile.dir", "Dockerfile.up")) {
            Cmd.Result r = build(ctx, "-f", ctx.resolve(f).toString());
            assertThat(r.exit()).as(r.describe()).isNotZero();
            assertThat(r.err()).contains("file not found in build context or excluded by .dockerignore");
        }
        ok("rmi", image);
    }
}
