package dev.berth.builder.exec;

import dev.berth.builder.exec.Builder.StageResult;
import dev.berth.builder.plan.Stage;
import dev.berth.builder.plan.StageGraph;
import dev.berth.common.BerthException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * Runs the stages a target needs as a data flow: each stage on its own virtual thread, starting
 * as soon as the stages it depends on ({@code FROM <stage>}, {@code COPY --from}) have finished,
 * so independent stages build at the same time. The first failure wins: the other stages are
 * interrupted (a RUN in progress is stopped and its container removed by the worker), and that
 * failure is rethrown unchanged (so a failed RUN keeps its exit code). Output goes through one
 * {@link ParallelOutput}. One instance per build; {@link #run} is called once.
 */
final class ParallelStages {
    private final StageGraph graph;
    private final List<Stage> order;
    private final Stage target;
    private final Map<Integer, StageResult> results;
    private final BiFunction<Stage, BuildOutput, StageRun> runs;

    /**
     * @param order the stages in sequential build order (dependencies first)
     * @param results where finished stages are recorded (read by later stages; concurrent map)
     * @param runs makes the runner of a stage writing to the given output
     */
    ParallelStages(StageGraph graph, List<Stage> order, Stage target, Map<Integer, StageResult> results,
                   BiFunction<Stage, BuildOutput, StageRun> runs) {
        this.graph = graph;
        this.order = order;
        this.target = target;
        this.results = results;
        this.runs = runs;
    }

    /** Builds every stage; returns the target's result. */
    StageResult run(BuildOutput sink) {
        ParallelOutput console = new ParallelOutput(sink);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Map<Integer, CompletableFuture<StageResult>> futures = new HashMap<>();
        ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (Stage s : order) {
                List<CompletableFuture<StageResult>> deps = new ArrayList<>();
                for (int d : graph.dependencies(s.index())) {
                    deps.add(futures.get(d)); // earlier in the build order, so already there
                }
                CompletableFuture<StageResult> f = new CompletableFuture<>();
                futures.put(s.index(), f);
                try {
                    exec.submit(() -> {
                    ParallelOutput.Stage out = console.stage();
                    try {
                        for (CompletableFuture<StageResult> d : deps) {
                            d.join();
                        }
                        StageResult r = runs.apply(s, out).execute();
                        results.put(s.index(), r);
                        f.complete(r);
                    } catch (Throwable t) {
                        // the root cause is recorded before dependants see the failure
                        if (failure.compareAndSet(null, t)) {
                            console.abort();
                            exec.shutdownNow();
                        }
                        f.completeExceptionally(t);
                    } finally {
                        out.endStep(); // what a failed step printed so far stays visible
                    }
                    });
                } catch (java.util.concurrent.RejectedExecutionException stopped) {
                    break; // an earlier stage failed: nothing more starts
                }
            }
        } finally {
            exec.close(); // waits for every stage (interrupted ones end quickly)
        }
        Throwable t = failure.get();
        if (t != null) {
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw BerthException.internal(t.toString(), t);
        }
        return futures.get(target.index()).join();
    }
}
