package dev.berth.builder.exec;

import dev.berth.builder.context.BuildContext;
import dev.berth.builder.context.ContextEntry;
import dev.berth.builder.context.FilteredBuildContext;
import dev.berth.builder.ignore.DockerIgnore;
import dev.berth.builder.ignore.PatternMatcher;
import dev.berth.builder.instructions.Dockerfile;
import dev.berth.builder.instructions.Instruction;
import dev.berth.builder.plan.Stage;
import dev.berth.builder.plan.StageGraph;
import dev.berth.common.BerthException;
import dev.berth.common.Ids;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The classic ({@code version=1}) builder: builds the stages the target needs (independent stages
 * concurrently, on virtual threads, see {@link ParallelStages} and {@link ParallelOutput}), dispatches
 * each instruction through the {@link BuildWorker}, and writes the classic output
 * ("Step 1/5 : FROM busybox", " ---> 1a2b3c4d5e6f", " ---> Using cache", " ---> Running in …",
 * " ---> Removed intermediate container …", "Successfully built …", "Successfully tagged …")
 * and one aux message with the image id per stage. BuildKit-only flags fail as in Docker.
 *
 * <p>Thread-safe: each {@link #build} call has its own state; the worker must be thread-safe.
 */
public final class Builder {
    static final String BUILDKIT_HINT =
            ". Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled";

    private final BuildWorker worker;

    public Builder(BuildWorker worker) {
        this.worker = worker;
    }

    /** A context ready to build: the Dockerfile text and the files without ignored ones. */
    public record Prepared(String dockerfile, BuildContext context) {}

    /**
     * Reads the Dockerfile ({@code dockerfileName}, default "Dockerfile", falling back to
     * "dockerfile") and {@code .dockerignore} from a raw context and hides the ignored files. As in
     * Docker, the Dockerfile and .dockerignore are hidden only if .dockerignore lists them.
     */
    public static Prepared prepare(BuildContext raw, String dockerfileName) {
        String name = dockerfileName == null || dockerfileName.isEmpty() ? "Dockerfile" : dockerfileName;
        ContextEntry df = raw.stat(name)
                .or(() -> name.equals("Dockerfile") ? raw.stat("dockerfile") : java.util.Optional.empty())
                .filter(e -> e.type() == ContextEntry.Type.FILE)
                .orElseThrow(() -> BerthException.invalid("Cannot locate specified Dockerfile: %s", name));
        String text = read(raw, df.path());
        if (text.isBlank()) {
            throw BerthException.invalid("the Dockerfile (%s) cannot be empty", name);
        }
        BuildContext ctx = raw;
        if (raw.stat(".dockerignore").filter(e -> e.type() == ContextEntry.Type.FILE).isPresent()) {
            PatternMatcher m = DockerIgnore.matcher(read(raw, ".dockerignore"));
            ctx = new FilteredBuildContext(raw, m);
        }
        return new Prepared(text, ctx);
    }

    private static String read(BuildContext ctx, String path) {
        try (InputStream in = ctx.open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses and builds. */
    public BuildResult build(String dockerfileText, BuildContext context, BuildOptions options, BuildOutput out) {
        return build(Dockerfile.parse(dockerfileText), context, options, out);
    }

    public BuildResult build(Dockerfile dockerfile, BuildContext context, BuildOptions options, BuildOutput out) {
        BuildOutput sink = options.quiet() ? quiet(out) : out;
        Map<String, String> nonNullArgs = new HashMap<>();
        options.buildArgs().forEach((k, v) -> {
            if (v != null) {
                nonNullArgs.put(k, v);
            }
        });
        StageGraph graph = StageGraph.of(dockerfile, nonNullArgs);
        Stage target = graph.target(options.target());
        List<Stage> stages = graph.buildOrder(target);

        List<Instruction> extra = new ArrayList<>();
        if (!options.labels().isEmpty()) {
            extra.add(labelStep(options.labels()));
        }
        int total = graph.metaArgs().size() + extra.size();
        for (Stage s : stages) {
            total += 1 + s.instructions().size();
        }
        final int totalSteps = total;
        StepCounter metaSteps = new StepCounter(0, total, sink);
        Set<String> referenced = ConcurrentHashMap.newKeySet();
        for (Instruction.Arg meta : graph.metaArgs()) {
            metaSteps.print(meta);
            meta.args().forEach(a -> referenced.add(a.name()));
        }
        // step numbers are fixed by the sequential order, whatever order the stages run in
        Map<Integer, Integer> firstStep = new HashMap<>();
        int n = graph.metaArgs().size();
        for (Stage s : stages) {
            firstStep.put(s.index(), n);
            n += 1 + s.instructions().size() + (s.index() == target.index() ? extra.size() : 0);
        }
        Map<Integer, StageResult> results = new ConcurrentHashMap<>();
        StageResult last;
        if (parallel(graph, target)) {
            last = new ParallelStages(graph, stages, target, results, (stage, stageOut) -> new StageRun(worker, graph, stage,
                    stage.index() == target.index() ? extra : List.of(), context, options, stageOut,
                    new StepCounter(firstStep.get(stage.index()), totalSteps, stageOut), results, referenced,
                    dockerfile.escape())).run(sink);
        } else {
            last = null;
            for (Stage stage : stages) {
                List<Instruction> tail = stage.index() == target.index() ? extra : List.of();
                StageRun run = new StageRun(worker, graph, stage, tail, context, options, sink,
                        new StepCounter(firstStep.get(stage.index()), total, sink), results, referenced,
                        dockerfile.escape());
                last = run.execute();
                results.put(stage.index(), last);
            }
        }
        Set<String> unused = BuildArgs.unconsumed(options.buildArgs(), referenced);
        if (!unused.isEmpty()) {
            sink.stream("[Warning] One or more build-args " + GoFormat.list(List.copyOf(unused))
                    + " were not consumed\n");
        }
        if (last == null || last.imageId() == null) {
            throw BerthException.invalid("No image was generated. Is your Dockerfile empty?");
        }
        sink.stream("Successfully built " + Ids.shortId(last.imageId()) + "\n");
        List<String> tagged = new ArrayList<>();
        for (String t : options.tags()) {
            String name = worker.tag(last.imageId(), t);
            tagged.add(name);
            sink.stream("Successfully tagged " + name + "\n");
        }
        return new BuildResult(last.imageId(), tagged);
    }

    /**
     * Whether some of the stages the target needs are independent of each other, so that running
     * them concurrently can help. Otherwise the build runs sequentially with dockerd's exact output.
     */
    static boolean parallel(StageGraph graph, Stage target) {
        return graph.schedule(target).stream().anyMatch(level -> level.size() > 1);
    }

    private static Instruction.Label labelStep(Map<String, String> labels) {
        List<Instruction.KeyValue> kvs = new ArrayList<>();
        StringBuilder text = new StringBuilder("LABEL");
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(labels).entrySet()) {
            // the values are literal: quote them so that substitution leaves them alone
            String k = "'" + e.getKey().replace("'", "'\"'\"'") + "'";
            String v = "'" + e.getValue().replace("'", "'\"'\"'") + "'";
            kvs.add(new Instruction.KeyValue(k, v));
            text.append(' ').append(e.getKey()).append('=').append(e.getValue());
        }
        return new Instruction.Label(new Instruction.Origin(text.toString(), 0, 0), kvs);
    }

    private static BuildOutput quiet(BuildOutput out) {
        return new BuildOutput() {
            @Override
            public void stream(String text) {}

            @Override
            public void aux(String imageId) {
                out.aux(imageId);
            }

            @Override
            public boolean cancelled() {
                return out.cancelled();
            }
        };
    }

    /** The image and config a finished stage produced. */
    record StageResult(String imageId, dev.berth.oci.image.ContainerConfig config, BuildArgs args) {}

    /** Numbers the steps: "Step 3/7 : RUN …". */
    static final class StepCounter {
        private final int total;
        private final BuildOutput out;
        private int current;

        StepCounter(int first, int total, BuildOutput out) {
            this.current = first;
            this.total = total;
            this.out = out;
        }

        void print(Instruction i) {
            current++;
            out.stream("Step " + current + "/" + total + " : " + i.original() + "\n");
        }
    }
}
