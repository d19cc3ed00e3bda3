package dev.berth.builder.plan;

import dev.berth.builder.instructions.Dockerfile;
import dev.berth.builder.instructions.Instruction;
import dev.berth.builder.parse.DockerfileParseException;
import dev.berth.builder.shell.ShellLex;
import dev.berth.common.BerthException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The stages of a Dockerfile and how they depend on each other: {@code FROM <stage>},
 * {@code COPY --from=<stage|index>} and {@code RUN --mount=…,from=<stage>}. Global ARGs (before
 * the first FROM) are expanded in FROM lines and {@code --from} values, with build-arg
 * overrides. Gives the stages a target needs and a schedule of levels whose stages are
 * independent of each other (they could build in parallel). Immutable and thread-safe.
 */
public final class StageGraph {
    private final List<Instruction.Arg> metaArgs;
    private final List<Stage> stages;
    private final Map<String, Integer> byName;
    private final List<TreeSet<Integer>> deps;
    private final Map<String, String> metaEnv;

    private StageGraph(List<Instruction.Arg> metaArgs, List<Stage> stages, Map<String, String> metaEnv,
                       ShellLex lex) {
        this.metaArgs = List.copyOf(metaArgs);
        this.stages = List.copyOf(stages);
        this.metaEnv = Map.copyOf(metaEnv);
        this.byName = new HashMap<>();
        for (Stage s : stages) {
            if (s.name() != null) {
                if (byName.containsKey(s.name())) {
                    throw new DockerfileParseException(s.from().origin().startLine(),
                            "duplicate stage name \"" + s.name() + "\"");
                }
                byName.put(s.name(), s.index());
            }
        }
        this.deps = new ArrayList<>();
        for (Stage s : stages) {
            TreeSet<Integer> d = new TreeSet<>();
            stageRef(expand(lex, s.from().image())).ifPresent(d::add);
            for (Instruction i : s.instructions()) {
                collect(i, lex, d);
            }
            d.remove(s.index()); // a stage named like an image it builds on ("FROM x AS x") is an image
            deps.add(d);
        }
    }

    /**
     * Builds the graph.
     *
     * @param buildArgs values given with {@code --build-arg} (they override global ARG defaults)
     */
    public static StageGraph of(Dockerfile dockerfile, Map<String, String> buildArgs) {
        ShellLex lex = new ShellLex(dockerfile.escape());
        List<Instruction.Arg> meta = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        Map<String, String> metaEnv = new HashMap<>();
        Instruction.From from = null;
        List<Instruction> body = new ArrayList<>();
        for (Instruction i : dockerfile.instructions()) {
            if (i instanceof Instruction.From f) {
                if (from != null) {
                    stages.add(new Stage(stages.size(), from.stageName(), from, body));
                }
                from = f;
                body = new ArrayList<>();
            } else if (from == null) {
                if (!(i instanceof Instruction.Arg a)) {
                    throw new DockerfileParseException(i.origin().startLine(), "no build stage in current context");
                }
                meta.add(a);
                for (Instruction.ArgDecl d : a.args()) {
                    String v = buildArgs.containsKey(d.name()) ? buildArgs.get(d.name())
                            : d.defaultValue() == null ? null : lex.processWord(d.defaultValue(), metaEnv);
                    if (v != null) {
                        metaEnv.put(d.name(), v);
                    } else {
                        metaEnv.remove(d.name());
                    }
                }
            } else {
                body.add(i);
            }
        }
        if (from == null) {
            throw BerthException.invalid("the Dockerfile has no build stage (no FROM instruction)");
        }
        stages.add(new Stage(stages.size(), from.stageName(), from, body));
        return new StageGraph(meta, stages, metaEnv, lex);
    }

    private String expand(ShellLex lex, String word) {
        return word.indexOf('$') < 0 ? word : lex.processWord(word, metaEnv);
    }

    private void collect(Instruction i, ShellLex lex, TreeSet<Integer> d) {
        switch (i) {
            case Instruction.Copy c when c.from() != null -> stageRef(expand(lex, c.from())).ifPresent(d::add);
            case Instruction.Run r -> {
                for (String m : r.mounts()) {
                    for (String kv : m.split(",")) {
                        if (kv.startsWith("from=")) {
                            stageRef(expand(lex, kv.substring(5))).ifPresent(d::add);
                        }
                    }
                }
            }
            case Instruction.Onbuild o -> { }
            default -> { }
        }
    }

    /** The stage a name or index refers to, if it is one (else it names an image). */
    public Optional<Integer> stageRef(String ref) {
        String key = ref.toLowerCase(Locale.ROOT);
        if (byName.containsKey(key)) {
            return Optional.of(byName.get(key));
        }
        if (!key.isEmpty() && key.chars().allMatch(Character::isDigit)) {
            int idx = Integer.parseInt(key);
            if (idx >= stages.size()) {
                throw BerthException.invalid("invalid from flag value %s: index out of bounds", ref);
            }
            return Optional.of(idx);
        }
        return Optional.empty();
    }

    public List<Instruction.Arg> metaArgs() {
        return metaArgs;
    }

    /** The values of the global ARGs (defaults expanded, build args applied); unset ones absent. */
    public Map<String, String> metaEnv() {
        return metaEnv;
    }

    public List<Stage> stages() {
        return stages;
    }

    public Stage stage(int index) {
        return stages.get(index);
    }

    public Optional<Stage> byName(String name) {
        Integer i = byName.get(name.toLowerCase(Locale.ROOT));
        return i == null ? Optional.empty() : Optional.of(stages.get(i));
    }

    /** Direct dependencies of a stage (stage indexes). */
    public List<Integer> dependencies(int index) {
        return List.copyOf(deps.get(index));
    }

    /** The target stage; null or empty means the last stage. */
    public Stage target(String target) {
        if (target == null || target.isEmpty()) {
            return stages.getLast();
        }
        return byName(target).orElseThrow(() ->
                BerthException.invalid("target stage \"%s\" could not be found", target));
    }

    /**
     * The stages the target needs, itself included, in index order.
     *
     * @throws BerthException on a dependency cycle ("circular dependency detected on stage: x")
     */
    public List<Stage> required(Stage target) {
        TreeSet<Integer> seen = new TreeSet<>();
        visit(target.index(), seen, new TreeSet<>());
        return seen.stream().map(stages::get).toList();
    }

    private void visit(int i, TreeSet<Integer> done, TreeSet<Integer> onPath) {
        if (done.contains(i)) {
            return;
        }
        if (!onPath.add(i)) {
            throw BerthException.invalid("circular dependency detected on stage: %s", stages.get(i).label());
        }
        for (int d : deps.get(i)) {
            visit(d, done, onPath);
        }
        onPath.remove(i);
        done.add(i);
    }

    /**
     * The order a sequential (classic) build runs the target's stages in: index order, except that
     * a stage's dependencies always come before it.
     */
    public List<Stage> buildOrder(Stage target) {
        List<Stage> needed = required(target);
        List<Stage> out = new ArrayList<>();
        TreeSet<Integer> done = new TreeSet<>();
        for (Stage s : needed) {
            order(s.index(), done, out);
        }
        return out;
    }

    private void order(int i, TreeSet<Integer> done, List<Stage> out) {
        if (!done.add(i)) {
            return;
        }
        for (int d : deps.get(i)) {
            order(d, done, out);
        }
        out.add(stages.get(i));
    }

    /**
     * Levels of the target's stages: every stage's dependencies lie in earlier levels, and the
     * stages of one level are independent (they may build in parallel). Each level is in index
     * order; the last level holds the target.
     */
    public List<List<Stage>> schedule(Stage target) {
        List<Stage> needed = required(target);
        Map<Integer, Integer> level = new HashMap<>();
        int max = 0;
        for (Stage s : needed) {
            max = Math.max(max, levelOf(s.index(), level));
        }
        List<List<Stage>> out = new ArrayList<>();
        for (int l = 0; l <= max; l++) {
            final int lv = l;
            out.add(needed.stream().filter(s -> level.get(s.index()) == lv).toList());
        }
        return out;
    }

    private int levelOf(int i, Map<Integer, Integer> memo) {
        Integer known = memo.get(i);
        if (known != null) {
            return known;
        }
        int l = 0;
        for (int d : deps.get(i)) {
            l = Math.max(l, levelOf(d, memo) + 1);
        }
        memo.put(i, l);
        return l;
    }
}
