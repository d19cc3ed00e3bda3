package dev.berth.builder.exec;

import dev.berth.builder.cache.CacheKeys;
import dev.berth.builder.context.BuildContext;
import dev.berth.builder.context.GoPath;
import dev.berth.builder.exec.Builder.StageResult;
import dev.berth.builder.exec.Builder.StepCounter;
import dev.berth.builder.instructions.Dockerfile;
import dev.berth.builder.instructions.GoDuration;
import dev.berth.builder.instructions.Instruction;
import dev.berth.builder.plan.Stage;
import dev.berth.builder.plan.StageGraph;
import dev.berth.builder.shell.ShellLex;
import dev.berth.common.BerthException;
import dev.berth.common.Ids;
import dev.berth.common.Json;
import dev.berth.oci.image.ContainerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds one stage: FROM, then each instruction, with the classic builder's output and cache
 * behaviour. Confined to the building thread; one instance per stage.
 */
final class StageRun {
    private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    final BuildWorker worker;
    final StageGraph graph;
    final Stage stage;
    final List<Instruction> tail;
    final BuildContext context;
    final BuildOptions opts;
    final BuildOutput out;
    final StepCounter steps;
    final Map<Integer, StageResult> results;
    final Set<String> referenced;
    final ShellLex lex;
    final char escape;

    String imageId;
    RunConfig cfg = new RunConfig();
    String author;
    boolean cmdSet;
    BuildArgs args;

    StageRun(BuildWorker worker, StageGraph graph, Stage stage, List<Instruction> tail, BuildContext context,
             BuildOptions opts, BuildOutput out, StepCounter steps, Map<Integer, StageResult> results,
             Set<String> referenced, char escape) {
        this.worker = worker;
        this.graph = graph;
        this.stage = stage;
        this.tail = tail;
        this.context = context;
        this.opts = opts;
        this.out = out;
        this.steps = steps;
        this.results = results;
        this.referenced = referenced;
        this.lex = new ShellLex(escape);
        this.escape = escape;
    }

    StageResult execute() {
        beginStep();
        steps.print(stage.from());
        from(stage.from());
        printId();
        endStep();
        List<Instruction> all = new ArrayList<>(stage.instructions());
        all.addAll(tail);
        for (Instruction i : all) {
            beginStep();
            steps.print(i);
            dispatch(i);
            printId();
            if (i == all.getLast() && imageId != null) {
                out.aux(imageId); // part of the stage's last step block
            }
            endStep();
        }
        if (all.isEmpty() && imageId != null) {
            out.aux(imageId);
        }
        return new StageResult(imageId, cfg.toConfig(), args);
    }

    private void beginStep() {
        if (out instanceof ParallelOutput.StepAware s) {
            s.beginStep();
        }
    }

    private void endStep() {
        if (out instanceof ParallelOutput.StepAware s) {
            s.endStep();
        }
    }

    private void printId() {
        out.stream(" ---> " + (imageId == null ? "" : Ids.shortId(imageId)) + "\n");
    }

    private void from(Instruction.From f) {
        Map<String, String> meta = graph.metaEnv();
        String name = lex.processWord(f.image(), meta);
        if (name.isEmpty()) {
            throw BerthException.invalid("base name (%s) should not be blank", f.image());
        }
        String platform = f.platform() == null ? null : lex.processWord(f.platform(), meta);
        if (platform == null || platform.isEmpty()) {
            platform = opts.platform();
        }
        Optional<Stage> base = graph.byName(name).filter(s -> s.index() != stage.index());
        if (base.isPresent()) {
            StageResult r = results.get(base.get().index());
            if (r == null) {
                throw BerthException.invalid("stage %s is not built yet", base.get().label());
            }
            imageId = r.imageId();
            cfg = RunConfig.from(r.config());
            args = r.args().inherit();
        } else if (name.equals("scratch")) {
            imageId = null;
            cfg = new RunConfig();
            args = new BuildArgs(opts.buildArgs(), meta, referenced);
        } else {
            BuildWorker.BaseImage b = worker.resolveImage(name, platform, opts.pull(), out);
            imageId = b.id();
            cfg = RunConfig.from(b.config());
            args = new BuildArgs(opts.buildArgs(), meta, referenced);
        }
        if (!cfg.envMap().containsKey("PATH")) {
            cfg.env.add(DEFAULT_PATH);
        }
        if (cfg.onBuild != null && !cfg.onBuild.isEmpty()) {
            List<String> triggers = List.copyOf(cfg.onBuild);
            cfg.onBuild = null;
            out.stream("# Executing " + triggers.size() + " build trigger" + (triggers.size() > 1 ? "s" : "") + "\n");
            for (String t : triggers) {
                Dockerfile df = Dockerfile.parse(t);
                if (df.instructions().size() != 1) {
                    throw BerthException.invalid("onbuild trigger should be a single expression");
                }
                dispatch(df.instructions().getFirst());
            }
        }
    }

    void dispatch(Instruction i) {
        switch (i) {
            case Instruction.From f -> throw BerthException.invalid("unexpected FROM inside a stage");
            case Instruction.Run r -> new RunStep(this).run(r);
            case Instruction.Copy c -> new CopyStep(this).copy(c);
            case Instruction.Add a -> new CopyStep(this).add(a);
            case Instruction.Cmd c -> {
                cfg.cmd = resolve(c.command());
                commitConfig("CMD " + GoFormat.quoteList(nullToEmpty(cfg.cmd)), null);
                if (!c.command().args().isEmpty()) {
                    cmdSet = true;
                }
            }
            case Instruction.Entrypoint e -> {
                cfg.entrypoint = resolve(e.command());
                if (!cmdSet) {
                    cfg.cmd = null;
                }
                commitConfig("ENTRYPOINT " + GoFormat.quoteList(nullToEmpty(cfg.entrypoint)), null);
            }
            case Instruction.Env e -> {
                Map<String, String> env = substitutionEnv();
                StringBuilder comment = new StringBuilder("ENV");
                for (Instruction.KeyValue kv : e.vars()) {
                    String k = lex.processWord(kv.key(), env);
                    String v = lex.processWord(kv.value(), env);
                    if (k.isEmpty()) {
                        throw BerthException.invalid("ENV names can not be blank");
                    }
                    cfg.setEnv(k, v);
                    comment.append(' ').append(k).append('=').append(v);
                }
                commitConfig(comment.toString(), null);
            }
            case Instruction.Label l -> {
                Map<String, String> env = substitutionEnv();
                StringBuilder comment = new StringBuilder("LABEL");
                if (cfg.labels == null) {
                    cfg.labels = new LinkedHashMap<>();
                }
                for (Instruction.KeyValue kv : l.labels()) {
                    String k = lex.processWord(kv.key(), env);
                    String v = lex.processWord(kv.value(), env);
                    if (k.isEmpty()) {
                        throw BerthException.invalid("LABEL names can not be blank");
                    }
                    cfg.labels.put(k, v);
                    comment.append(' ').append(k).append('=').append(v);
                }
                commitConfig(comment.toString(), null);
            }
            case Instruction.Maintainer m -> {
                author = m.maintainer();
                commitConfig("MAINTAINER " + author, null);
            }
            case Instruction.Expose e -> {
                Map<String, String> env = substitutionEnv();
                List<String> ports = new ArrayList<>();
                for (String p : e.ports()) {
                    ports.addAll(lex.processWords(p, env));
                }
                if (cfg.exposedPorts == null) {
                    cfg.exposedPorts = new LinkedHashMap<>();
                }
                for (String p : ports) {
                    for (String key : Ports.keys(p)) {
                        cfg.exposedPorts.put(key, Map.of());
                    }
                }
                commitConfig("EXPOSE " + String.join(" ", ports), null);
            }
            case Instruction.User u -> {
                cfg.user = lex.processWord(u.user(), substitutionEnv());
                commitConfig("USER " + cfg.user, null);
            }
            case Instruction.Volume v -> {
                Map<String, String> env = substitutionEnv();
                List<String> vols = new ArrayList<>();
                for (String raw : v.volumes()) {
                    String vol = lex.processWord(raw, env);
                    if (vol.isEmpty()) {
                        throw BerthException.invalid("VOLUME specified can not be an empty string");
                    }
                    vols.add(vol);
                }
                if (cfg.volumes == null) {
                    cfg.volumes = new LinkedHashMap<>();
                }
                vols.forEach(vol -> cfg.volumes.put(vol, Map.of()));
                commitConfig("VOLUME " + GoFormat.list(vols), null);
            }
            case Instruction.StopSignal s -> {
                String sig = lex.processWord(s.signal(), substitutionEnv());
                if (!Signals.valid(sig)) {
                    throw BerthException.invalid("Invalid signal: %s", sig);
                }
                cfg.stopSignal = sig;
                commitConfig("STOPSIGNAL " + sig, null);
            }
            case Instruction.Workdir w -> {
                String path = lex.processWord(w.path(), substitutionEnv());
                String base = cfg.workingDir == null || cfg.workingDir.isEmpty() ? "/" : cfg.workingDir;
                cfg.workingDir = GoPath.clean(path.startsWith("/") ? path : base + "/" + path);
                commitConfig("WORKDIR " + cfg.workingDir, cfg.workingDir);
            }
            case Instruction.Arg a -> {
                StringBuilder comment = new StringBuilder("ARG");
                for (Instruction.ArgDecl d : a.args()) {
                    String def = d.defaultValue() == null ? null : lex.processWord(d.defaultValue(), substitutionEnv());
                    args.declare(d.name(), def);
                    comment.append(' ').append(d.name());
                    if (def != null) {
                        comment.append('=').append(def);
                    }
                }
                commitConfig(comment.toString(), null);
            }
            case Instruction.Onbuild o -> {
                if (cfg.onBuild == null) {
                    cfg.onBuild = new ArrayList<>();
                }
                cfg.onBuild.add(o.expression());
                commitConfig("ONBUILD " + o.expression(), null);
            }
            case Instruction.Healthcheck h -> healthcheck(h);
            case Instruction.Shell s -> {
                cfg.shell = new ArrayList<>(s.shell());
                commitConfig("SHELL " + GoFormat.list(s.shell()), null);
            }
        }
    }

    private void healthcheck(Instruction.Healthcheck h) {
        if (cfg.healthcheck != null && cfg.healthcheck.test() != null && !cfg.healthcheck.test().isEmpty()
                && !cfg.healthcheck.test().getFirst().equals("NONE")) {
            out.stream("Note: overriding previous HEALTHCHECK: " + GoFormat.list(cfg.healthcheck.test()) + "\n");
        }
        cfg.healthcheck = new ContainerConfig.HealthConfig(h.test(), h.interval(), h.timeout(), h.startPeriod(),
                h.startInterval(), h.retries());
        String comment = "HEALTHCHECK &{" + GoFormat.quoteList(h.test()) + " "
                + GoFormat.quote(GoDuration.format(h.interval())) + " " + GoFormat.quote(GoDuration.format(h.timeout()))
                + " " + GoFormat.quote(GoDuration.format(h.startPeriod())) + " "
                + GoFormat.quote(GoDuration.format(h.startInterval())) + " " + GoFormat.quoteRune(h.retries()) + "}";
        commitConfig(comment, null);
    }

    Map<String, String> substitutionEnv() {
        return args.substitutionEnv(cfg.envMap());
    }

    private List<String> resolve(Instruction.CommandLine c) {
        if (c.execForm()) {
            return new ArrayList<>(c.args());
        }
        if (c.args().isEmpty()) {
            return null;
        }
        List<String> argv = new ArrayList<>(cfg.shellOrDefault());
        argv.addAll(c.args());
        return argv;
    }

    private static List<String> nullToEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }

    /** Whether a cached image can stand in for this step; prints " ---> Using cache". */
    boolean probeCache(String key, String createdBy) {
        if (opts.noCache()) {
            return false;
        }
        Optional<String> hit = worker.findCached(key);
        if (hit.isEmpty() && !opts.cacheFrom().isEmpty()) {
            hit = worker.findInCacheSources(opts.cacheFrom(), imageId, createdBy);
        }
        if (hit.isEmpty()) {
            return false;
        }
        out.stream(" ---> Using cache\n");
        imageId = hit.get();
        return true;
    }

    BuildWorker.CommitRequest commitRequest(String createdBy, String key) {
        return new BuildWorker.CommitRequest(imageId, cfg.toConfig(), createdBy, author, key);
    }

    /** A config-only step: {@code /bin/sh -c #(nop)  <comment>} in history. */
    private void commitConfig(String comment, String mkdir) {
        List<String> cmd = new ArrayList<>(cfg.shellOrDefault());
        cmd.add("#(nop) ");
        cmd.add(comment);
        String createdBy = String.join(" ", cmd);
        String configJson = Json.mapper().writeValueAsString(cfg.toConfig());
        String key = CacheKeys.key(imageId, createdBy + "\n" + configJson + "\n" + author);
        if (probeCache(key, createdBy)) {
            return;
        }
        BuildWorker.ConfigCommit c = worker.commitConfig(commitRequest(createdBy, key), mkdir);
        if (c.containerId() != null) {
            out.stream(" ---> Running in " + Ids.shortId(c.containerId()) + "\n");
            removeIntermediate(c.containerId());
        }
        imageId = c.imageId();
    }

    void removeIntermediate(String containerId) {
        if (opts.remove()) {
            worker.removeContainer(containerId);
            out.stream(" ---> Removed intermediate container " + Ids.shortId(containerId) + "\n");
        }
    }

    static BerthException buildkitOnly(String flag) {
        return BerthException.invalid("the --%s option requires BuildKit%s", flag, Builder.BUILDKIT_HINT);
    }
}
