package dev.berth.builder.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.builder.context.MapBuildContext;
import dev.berth.builder.context.TestContexts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What invalidates what, through the whole builder: a step's cache key is its parent image, its
 * instruction (after substitution) and, for COPY/ADD, the checksums of what it copies; RUN also
 * sees the build args in its environment. A miss reruns that step and everything after it in its
 * stage (their parent changed), and nothing before it or in independent stages.
 */
class CacheInvalidationTest {
    private static final String DF = """
            FROM busybox
            ARG V=1
            COPY one.txt /one.txt
            RUN echo run1
            COPY two.txt /two.txt
            RUN echo run2-$V
            ENV DONE=yes
            """;

    private final FakeWorker worker = new FakeWorker();
    /** The fake is not thread-safe, and independent stages run concurrently. */
    private final BuildWorker serialized = new ParallelBuildTest.DelegatingWorker(worker) {
        @Override
        public synchronized BaseImage resolveImage(String r, String p, boolean pull, BuildOutput o) {
            return super.resolveImage(r, p, pull, o);
        }

        @Override
        public synchronized java.util.Optional<String> findCached(String k) {
            return super.findCached(k);
        }

        @Override
        public synchronized RunResult run(RunRequest r, java.util.function.Consumer<String> c, BuildOutput o) {
            return super.run(r, c, o);
        }

        @Override
        public synchronized String commitContainer(String c, CommitRequest r) {
            return super.commitContainer(c, r);
        }

        @Override
        public synchronized void removeContainer(String c) {
            super.removeContainer(c);
        }

        @Override
        public synchronized ConfigCommit commitConfig(CommitRequest c, String dir) {
            return super.commitConfig(c, dir);
        }

        @Override
        public synchronized String copy(CopyRequest r) {
            return super.copy(r);
        }
    };

    /** Per step (after FROM), whether it was a cache hit. */
    private List<Boolean> hits(String df, MapBuildContext ctx, BuildOptions opts) {
        RecordingOutput out = new RecordingOutput();
        new Builder(serialized).build(df, ctx, opts, out);
        java.util.TreeMap<Integer, Boolean> hits = new java.util.TreeMap<>(); // by step number
        List<String> lines = out.lines();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("Step ") && !lines.get(i).contains(" : FROM ")) {
                int n = Integer.parseInt(lines.get(i).substring(5, lines.get(i).indexOf('/')));
                hits.put(n, i + 1 < lines.size() && lines.get(i + 1).equals(" ---> Using cache"));
            }
        }
        return new ArrayList<>(hits.values());
    }

    private static MapBuildContext ctx(String one, String two) {
        return TestContexts.of("one.txt", one, "two.txt", two);
    }

    @Test
    void nothingChangedIsAllHits() {
        hits(DF, ctx("1", "2"), BuildOptions.defaults());
        assertThat(hits(DF, ctx("1", "2"), BuildOptions.defaults())).containsExactly(true, true, true, true, true, true);
    }

    @Test
    void aChangedCopiedFileRerunsFromItsCopyOn() {
        hits(DF, ctx("1", "2"), BuildOptions.defaults());
        assertThat(hits(DF, ctx("1", "2 changed"), BuildOptions.defaults()))
                .containsExactly(true, true, true, false, false, false);
        assertThat(hits(DF, ctx("1 changed", "2 changed"), BuildOptions.defaults()))
                .containsExactly(true, false, false, false, false, false);
    }

    @Test
    void fileMetadataCounts() {
        hits(DF, ctx("1", "2"), BuildOptions.defaults());
        MapBuildContext exec = TestContexts.withMeta(ctx("1", "2"), "two.txt", 0755, 0, 0);
        assertThat(hits(DF, exec, BuildOptions.defaults())).containsExactly(true, true, true, false, false, false);
    }

    @Test
    void aBuildArgInvalidatesOnlyTheRunsThatSeeIt() {
        hits(DF, ctx("1", "2"), BuildOptions.defaults());
        // V is in every RUN's environment once declared, so both RUNs rerun; COPYs stay cached
        // until a rerun step changes their parent
        assertThat(hits(DF, ctx("1", "2"), BuildOptions.defaults().withBuildArgs(Map.of("V", "2"))))
                .containsExactly(true, true, false, false, false, false);
    }

    @Test
    void anEditedInstructionRerunsFromThere() {
        hits(DF, ctx("1", "2"), BuildOptions.defaults());
        assertThat(hits(DF.replace("ENV DONE=yes", "ENV DONE=no"), ctx("1", "2"), BuildOptions.defaults()))
                .containsExactly(true, true, true, true, true, false);
        assertThat(hits(DF.replace("RUN echo run1", "RUN echo run1b"), ctx("1", "2"), BuildOptions.defaults()))
                .containsExactly(true, true, false, false, false, false);
    }

    @Test
    void noCacheMissesEverything() {
        hits(DF, ctx("1", "2"), BuildOptions.defaults());
        assertThat(hits(DF, ctx("1", "2"), BuildOptions.defaults().withNoCache(true))).containsOnly(false);
    }

    @Test
    void independentStagesDoNotInvalidateEachOther() {
        String df = "FROM busybox AS a\nCOPY one.txt /x\nRUN echo a\nFROM busybox AS b\nCOPY two.txt /y\nRUN echo b\n"
                + "FROM busybox\nCOPY --from=a /x /x\nCOPY --from=b /y /y\n";
        hits(df, ctx("1", "2"), BuildOptions.defaults());
        List<Boolean> h = hits(df, ctx("1", "2 changed"), BuildOptions.defaults());
        // steps in number order: a: COPY, RUN | b: COPY, RUN | final: COPY --from=a, COPY --from=b
        assertThat(h).hasSize(6);
        assertThat(h.subList(0, 2)).containsExactly(true, true);
        assertThat(h.subList(2, 4)).containsExactly(false, false);
    }
}
