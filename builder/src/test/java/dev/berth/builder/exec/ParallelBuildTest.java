package dev.berth.builder.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.builder.context.TestContexts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Independent stages build at the same time, and the classic output stays one block per step. */
class ParallelBuildTest {
    private static final String TWO_STAGES = """
            FROM busybox AS left
            RUN echo left
            FROM busybox AS right
            RUN echo right
            FROM busybox AS unused
            RUN echo never
            FROM busybox
            COPY --from=left /l /l
            COPY --from=right /r /r
            """;

    /** A thread-safe FakeWorker whose RUNs meet: each waits until both RUNs are in flight. */
    static class MeetingWorker implements BuildWorker {
        final FakeWorker fake = new FakeWorker();
        final CountDownLatch bothRunning = new CountDownLatch(2);
        final List<String> met = new ArrayList<>();
        volatile boolean interrupted;

        @Override
        public synchronized BaseImage resolveImage(String reference, String platform, boolean pull, BuildOutput out) {
            return fake.resolveImage(reference, platform, pull, out);
        }

        @Override
        public synchronized Optional<String> findCached(String cacheKey) {
            return fake.findCached(cacheKey);
        }

        @Override
        public RunResult run(RunRequest request, Consumer<String> onCreated, BuildOutput out) {
            bothRunning.countDown();
            try {
                boolean together = bothRunning.await(10, TimeUnit.SECONDS);
                synchronized (this) {
                    met.add(request.argv().getLast() + "=" + together);
                }
            } catch (InterruptedException e) {
                interrupted = true;
                throw new IllegalStateException("build interrupted");
            }
            synchronized (this) {
                return fake.run(request, onCreated, out);
            }
        }

        @Override
        public synchronized String commitContainer(String containerId, CommitRequest commit) {
            return fake.commitContainer(containerId, commit);
        }

        @Override
        public synchronized void removeContainer(String containerId) {
            fake.removeContainer(containerId);
        }

        @Override
        public synchronized ConfigCommit commitConfig(CommitRequest commit, String createDirectory) {
            return fake.commitConfig(commit, createDirectory);
        }

        @Override
        public synchronized String copy(CopyRequest request) {
            return fake.copy(request);
        }

        @Override
        public Download download(String url, BuildOutput out) {
            return fake.download(url, out);
        }

        @Override
        public synchronized String tag(String imageId, String reference) {
            return fake.tag(imageId, reference);
        }
    }

    @Test
    void independentStagesRunConcurrentlyAndUnusedOnesNot() {
        MeetingWorker w = new MeetingWorker();
        RecordingOutput out = new RecordingOutput();
        BuildResult r = new Builder(w).build(TWO_STAGES, TestContexts.of(), BuildOptions.defaults(), out);
        assertThat(w.met).containsExactlyInAnyOrder("echo left=true", "echo right=true");
        assertThat(w.fake.runs).hasSize(2); // the unused stage is not built
        List<String> lines = out.lines();
        // numbering as in a sequential build of the needed stages: 2 + 2 + 3 steps
        List<String> steps = lines.stream().filter(l -> l.startsWith("Step ")).toList();
        assertThat(steps).containsExactlyInAnyOrder("Step 1/7 : FROM busybox AS left", "Step 2/7 : RUN echo left",
                "Step 3/7 : FROM busybox AS right", "Step 4/7 : RUN echo right", "Step 5/7 : FROM busybox",
                "Step 6/7 : COPY --from=left /l /l", "Step 7/7 : COPY --from=right /r /r");
        // every RUN step is one block: Step, Running in, its output, Removed, id
        for (String name : List.of("left", "right")) {
            int i = lines.indexOf("Step " + (name.equals("left") ? 2 : 4) + "/7 : RUN echo " + name);
            assertThat(lines.get(i + 1)).startsWith(" ---> Running in ");
            assertThat(lines.get(i + 2)).isEqualTo(name);
            assertThat(lines.get(i + 3)).startsWith(" ---> Removed intermediate container ");
            assertThat(lines.get(i + 4)).matches(" ---> [0-9a-f]{12}");
        }
        assertThat(lines.getLast()).startsWith("Successfully built ");
        assertThat(lines.indexOf("Step 5/7 : FROM busybox")).isGreaterThan(lines.indexOf("Step 4/7 : RUN echo right"));
        assertThat(out.aux).hasSize(3).endsWith(r.imageId());
    }

    @Test
    void firstFailureWinsAndStopsTheOtherStage() {
        MeetingWorker w = new MeetingWorker() {
            @Override
            public RunResult run(RunRequest request, Consumer<String> onCreated, BuildOutput out) {
                if (request.argv().getLast().contains("exit 3")) {
                    return new RunResult("c0ffee", 3);
                }
                return super.run(request, onCreated, out); // waits for a partner that never comes
            }
        };
        String df = "FROM busybox AS a\nRUN exit 3\nFROM busybox AS b\nRUN echo slow\nFROM busybox\n"
                + "COPY --from=a /x /x\nCOPY --from=b /y /y\n";
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> new Builder(w).build(df, TestContexts.of(), BuildOptions.defaults(),
                new RecordingOutput()))
                .isInstanceOfSatisfying(CommandFailedException.class, e -> assertThat(e.exitCode()).isEqualTo(3));
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(w.met).isEmpty(); // the slow RUN was interrupted (or never started), not waited for
    }

    @Test
    void sequentialDockerfilesKeepTheSequentialPath() {
        var chain = dev.berth.builder.plan.StageGraph.of(dev.berth.builder.instructions.Dockerfile.parse(
                "FROM busybox AS a\nRUN x\nFROM a\nRUN y\n"), java.util.Map.of());
        assertThat(Builder.parallel(chain, chain.target(null))).isFalse();
        var two = dev.berth.builder.plan.StageGraph.of(dev.berth.builder.instructions.Dockerfile.parse(TWO_STAGES),
                java.util.Map.of());
        assertThat(Builder.parallel(two, two.target(null))).isTrue();
        assertThat(Builder.parallel(two, two.target("left"))).isFalse();
    }

    @Test
    void cacheFromSourcesStandInForMissesButNotWithNoCache() {
        FakeWorker fake = new FakeWorker();
        List<String> asked = new ArrayList<>();
        BuildWorker w = new DelegatingWorker(fake) {
            @Override
            public Optional<String> findInCacheSources(List<String> sources, String parent, String createdBy) {
                asked.add(sources + " " + createdBy);
                return createdBy.equals("/bin/sh -c echo hi") ? Optional.of(fake.refs.get("busybox")) : Optional.empty();
            }
        };
        RecordingOutput out = new RecordingOutput();
        new Builder(w).build("FROM busybox\nRUN echo hi\n", TestContexts.of(),
                BuildOptions.defaults().withCacheFrom(List.of("app:old")), out);
        assertThat(asked).containsExactly("[app:old] /bin/sh -c echo hi");
        assertThat(out.text.toString()).contains(" ---> Using cache\n");
        assertThat(fake.runs).isEmpty();
        asked.clear();
        new Builder(w).build("FROM busybox\nRUN echo hi\n", TestContexts.of(),
                BuildOptions.defaults().withCacheFrom(List.of("app:old")).withNoCache(true), new RecordingOutput());
        assertThat(asked).isEmpty();
        assertThat(fake.runs).hasSize(1);
    }

    /** Forwards everything to another worker. */
    static class DelegatingWorker implements BuildWorker {
        final BuildWorker d;

        DelegatingWorker(BuildWorker d) {
            this.d = d;
        }

        public BaseImage resolveImage(String r, String p, boolean pull, BuildOutput o) {
            return d.resolveImage(r, p, pull, o);
        }

        public Optional<String> findCached(String k) {
            return d.findCached(k);
        }

        public RunResult run(RunRequest r, Consumer<String> c, BuildOutput o) {
            return d.run(r, c, o);
        }

        public String commitContainer(String c, CommitRequest r) {
            return d.commitContainer(c, r);
        }

        public void removeContainer(String c) {
            d.removeContainer(c);
        }

        public ConfigCommit commitConfig(CommitRequest c, String dir) {
            return d.commitConfig(c, dir);
        }

        public String copy(CopyRequest r) {
            return d.copy(r);
        }

        public Download download(String u, BuildOutput o) {
            return d.download(u, o);
        }

        public String tag(String i, String r) {
            return d.tag(i, r);
        }
    }
}
