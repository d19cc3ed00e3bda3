package dev.berth.compose.loader;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Loads a Compose project: per file parse (YAML 1.2), interpolate, validate against the schema,
 * process {@code include}, normalize, resolve {@code extends}; then merge the files in order,
 * choose the project name, apply profiles, fold {@code env_file} into {@code environment} and
 * fill resource names. Errors name the file, line and field. Stateless apart from the schema;
 * thread-safe.
 */
public final class ProjectLoader {
    static final List<String> DEFAULT_FILES = List.of("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml");
    static final List<String> OVERRIDE_FILES = List.of("compose.override.yaml", "compose.override.yml",
            "docker-compose.override.yml", "docker-compose.override.yaml");
    private final SchemaValidator validator;

    public ProjectLoader(SchemaValidator validator) {
        this.validator = validator;
    }

    public ProjectLoader() {
        this(SchemaValidator.bundled());
    }

    public Project load(LoadOptions o) {
        List<Path> files = new ArrayList<>();
        for (Path f : o.files()) {
            files.add((o.cwd() == null ? f : o.cwd().resolve(f)).toAbsolutePath().normalize());
        }
        Path dir = o.projectDirectory() != null ? o.cwd().resolve(o.projectDirectory()).toAbsolutePath().normalize() : null;
        if (files.isEmpty()) {
            Path searchFrom = dir != null ? dir : o.cwd();
            files.addAll(findDefault(searchFrom));
        }
        Path workingDir = dir != null ? dir : files.getFirst().getParent();
        Map<String, String> env = new LinkedHashMap<>();
        List<Path> envFiles = o.envFiles().isEmpty() ? List.of(workingDir.resolve(".env"))
                : o.envFiles().stream().map(p -> o.cwd().resolve(p)).toList();
        for (Path ef : envFiles) {
            if (Files.isRegularFile(ef)) {
                Map<String, String> vals = EnvFile.read(ef, k -> o.osEnv().containsKey(k) ? o.osEnv().get(k) : env.get(k));
                env.putAll(vals);
            } else if (!o.envFiles().isEmpty()) {
                throw new BerthException(ErrorKind.INVALID_ARGUMENT, "couldn't find env file: " + ef);
            }
        }
        env.putAll(o.osEnv());
        List<String> warnings = new ArrayList<>();
        Map<String, Object> merged = new LinkedHashMap<>();
        for (Path f : files) {
            Map<String, String> directives = new LinkedHashMap<>();
            Map<String, Object> doc = loadFile(f, workingDir, env::get, new ArrayDeque<>(), warnings, directives);
            // !reset and !override drop what earlier files set at that path before merging
            for (String path : directives.keySet()) {
                removePath(merged, path);
            }
            merged = Merger.merge(merged, doc);
        }
        String name = projectName(o.projectName(), env.get("COMPOSE_PROJECT_NAME"), Values.str(merged.get("name")), workingDir);
        merged.remove("version");
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", name);
        model.putAll(merged);
        model.put("name", name);
        List<String> profiles = new ArrayList<>(o.profiles());
        if (profiles.isEmpty() && env.get("COMPOSE_PROFILES") != null && !env.get("COMPOSE_PROFILES").isBlank()) {
            profiles.addAll(List.of(env.get("COMPOSE_PROFILES").split(",")));
        }
        List<String> disabled = applyProfiles(model, profiles);
        Finisher.finish(model, name, env::get);
        return new Project(name, workingDir, files, env, model, disabled, warnings);
    }

    static List<Path> findDefault(Path from) {
        for (Path d = from; d != null; d = d.getParent()) {
            for (String n : DEFAULT_FILES) {
                if (Files.isRegularFile(d.resolve(n))) {
                    List<Path> out = new ArrayList<>(List.of(d.resolve(n)));
                    for (String ov : OVERRIDE_FILES) {
                        if (Files.isRegularFile(d.resolve(ov))) {
                            out.add(d.resolve(ov));
                            break;
                        }
                    }
                    return out;
                }
            }
        }
        throw new BerthException(ErrorKind.INVALID_ARGUMENT,
                "no configuration file provided: not found (looked for " + String.join(", ", DEFAULT_FILES) + " in " + from + " and its parents)");
    }

    /** Name precedence: -p, COMPOSE_PROJECT_NAME, top-level name:, directory name; normalized. */
    static String projectName(String flag, String envName, String topLevel, Path workingDir) {
        String raw = flag != null && !flag.isBlank() ? flag
                : envName != null && !envName.isBlank() ? envName
                : topLevel != null && !topLevel.isBlank() ? topLevel
                : workingDir.getFileName() == null ? "default" : workingDir.getFileName().toString();
        String n = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
        if (flag != null && !flag.isBlank() && !n.equals(flag)) {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "invalid project name \"" + flag
                    + "\": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number");
        }
        if (n.isEmpty() || !Character.isLetterOrDigit(n.charAt(0))) {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "project name must not be empty and must start with a letter or number: \"" + raw + "\"");
        }
        return n;
    }

    /** Removes services whose profiles are not active; returns their names. */
    static List<String> applyProfiles(Map<String, Object> model, List<String> active) {
        List<String> disabled = new ArrayList<>();
        Map<String, Object> services = Values.map(model, "services");
        services.entrySet().removeIf(e -> {
            List<Object> p = Values.list(Normalizer.cast((Map<?, ?>) e.getValue()), "profiles");
            boolean on = p.isEmpty() || active.contains("*") || p.stream().anyMatch(x -> active.contains(Values.str(x)));
            if (!on) {
                disabled.add(e.getKey());
            }
            return !on;
        });
        return disabled;
    }

    static void removePath(Map<String, Object> root, String path) {
        String[] parts = path.split("\\.");
        Map<String, Object> cur = root;
        for (int i = 0; i < parts.length - 1; i++) {
            if (!(cur.get(parts[i]) instanceof Map<?, ?> m)) {
                return;
            }
            cur = Normalizer.cast(m);
        }
        cur.remove(parts[parts.length - 1]);
    }

    Map<String, Object> loadFile(Path file, Path baseDir, Function<String, String> env, Deque<Path> stack, List<String> warnings) {
        return loadFile(file, baseDir, env, stack, warnings, new LinkedHashMap<>());
    }

    /** Loads one file to a normalized document with includes merged in and extends resolved. */
    Map<String, Object> loadFile(Path file, Path baseDir, Function<String, String> env, Deque<Path> stack, List<String> warnings,
                                 Map<String, String> directives) {
        if (stack.contains(file)) {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "include/extends cycle: " + stack + " -> " + file);
        }
        stack.push(file);
        try {
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new BerthException(ErrorKind.INVALID_ARGUMENT, "open " + file + ": no such file or directory", e);
            }
            YamlTree.Parsed parsed = YamlTree.parse(file.toString(), text);
            directives.putAll(parsed.tags());
            parsed.tags().forEach((path, kind) -> {
                if (kind.equals("reset") && parsed.root() instanceof Map<?, ?> rm) {
                    removePath(Normalizer.cast(rm), path);
                }
            });
            if (!(parsed.root() instanceof Map<?, ?>)) {
                throw new BerthException(ErrorKind.INVALID_ARGUMENT, "validating " + file + ": top-level object must be a mapping");
            }
            Interpolator interp = new Interpolator(env);
            Map<String, Object> doc = Normalizer.cast((Map<?, ?>) interp.interpolateTree(parsed.root(), "", parsed));
            interp.warnings().stream().distinct().forEach(w -> { if (!warnings.contains(w)) warnings.add(w); });
            validator.validate(parsed, doc);
            Object include = doc.remove("include");
            new Normalizer(baseDir, env).normalizeDocument(doc);
            Extends.resolve(this, doc, file, baseDir, env, stack, warnings, parsed);
            if (include instanceof List<?> list) {
                for (Object inc : list) {
                    includeOne(doc, inc, file, env, stack, warnings);
                }
            }
            return doc;
        } finally {
            stack.pop();
        }
    }

    private void includeOne(Map<String, Object> doc, Object inc, Path file, Function<String, String> env,
                            Deque<Path> stack, List<String> warnings) {
        Map<String, Object> spec = inc instanceof Map<?, ?> m ? Normalizer.cast(m) : Map.of("path", inc);
        Object p = spec.get("path");
        List<Object> paths = p instanceof List<?> l ? new ArrayList<>(l) : List.of(p);
        Path first = file.getParent().resolve(Values.str(paths.getFirst())).normalize();
        Path projDir = spec.get("project_directory") != null
                ? file.getParent().resolve(Values.str(spec.get("project_directory"))).normalize() : first.getParent();
        Map<String, String> incEnv = new LinkedHashMap<>();
        Object ef = spec.get("env_file");
        List<Object> envFiles = ef == null ? List.of() : ef instanceof List<?> l ? new ArrayList<>(l) : List.of(ef);
        if (envFiles.isEmpty() && Files.isRegularFile(projDir.resolve(".env"))) {
            incEnv.putAll(EnvFile.read(projDir.resolve(".env"), env));
        }
        for (Object e : envFiles) {
            incEnv.putAll(EnvFile.read(file.getParent().resolve(Values.str(e)), env));
        }
        Function<String, String> lookup = k -> env.apply(k) != null ? env.apply(k) : incEnv.get(k);
        Map<String, Object> sub = new LinkedHashMap<>();
        for (Object path : paths) {
            sub = Merger.merge(sub, loadFile(file.getParent().resolve(Values.str(path)).normalize(), projDir, lookup, stack, warnings));
        }
        for (String kind : List.of("services", "networks", "volumes", "secrets", "configs")) {
            Map<String, Object> target = Values.mapIn(doc, kind);
            for (var e : Values.map(sub, kind).entrySet()) {
                if (target.containsKey(e.getKey()) && !target.get(e.getKey()).equals(e.getValue())) {
                    throw new BerthException(ErrorKind.INVALID_ARGUMENT, "imported compose file " + first + " defines conflicting "
                            + kind.substring(0, kind.length() - 1) + " " + e.getKey());
                }
                target.put(e.getKey(), e.getValue());
            }
            if (target.isEmpty()) {
                doc.remove(kind);
            }
        }
    }
}
