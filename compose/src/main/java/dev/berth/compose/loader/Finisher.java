package dev.berth.compose.loader;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Last loading step on the merged model: folds {@code env_file} into {@code environment}
 * (explicit environment wins), attaches services without networks to {@code default}, fills the
 * engine names of networks/volumes/secrets/configs ({@code <project>_<key>} unless external or
 * named), and checks references (depends_on, networks, named volumes, secrets, configs).
 */
final class Finisher {
    private Finisher() {}

    static void finish(Map<String, Object> model, String project, Function<String, String> env) {
        Map<String, Object> services = Values.mapIn(model, "services");
        Map<String, Object> networks = Values.map(model, "networks");
        Map<String, Object> volumes = Values.map(model, "volumes");
        boolean usesDefault = false;
        for (var e : services.entrySet()) {
            String name = e.getKey();
            Map<String, Object> s = Normalizer.cast((Map<?, ?>) e.getValue());
            foldEnvFiles(name, s, env);
            if (s.get("network_mode") == null && !(s.get("networks") instanceof Map)) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("default", null);
                s.put("networks", n);
            }
            if (s.get("networks") instanceof Map<?, ?> nm) {
                for (Object n : nm.keySet()) {
                    if ("default".equals(n)) {
                        usesDefault = true;
                    } else if (!networks.containsKey(n)) {
                        throw invalid("service \"" + name + "\" refers to undefined network " + n + ": invalid compose project");
                    }
                }
            }
            for (var d : Values.map(s, "depends_on").entrySet()) {
                Map<String, Object> c = Normalizer.cast((Map<?, ?>) d.getValue());
                if (!services.containsKey(d.getKey()) && !Boolean.FALSE.equals(c.get("required"))) {
                    throw invalid("service \"" + name + "\" depends on undefined service \"" + d.getKey() + "\": invalid compose project");
                }
            }
            for (Object v : Values.list(s, "volumes")) {
                Map<String, Object> m = Normalizer.cast((Map<?, ?>) v);
                if ("volume".equals(m.get("type")) && m.get("source") != null && !volumes.containsKey(Values.str(m.get("source")))) {
                    throw invalid("service \"" + name + "\" refers to undefined volume " + m.get("source") + ": invalid compose project");
                }
            }
            for (String kind : List.of("secrets", "configs")) {
                for (Object v : Values.list(s, kind)) {
                    String src = Values.str(Normalizer.cast((Map<?, ?>) v).get("source"));
                    if (!Values.map(model, kind).containsKey(src)) {
                        throw invalid("service \"" + name + "\" refers to undefined " + kind.substring(0, kind.length() - 1) + " " + src
                                + ": invalid compose project");
                    }
                }
            }
        }
        if (usesDefault && !networks.containsKey("default")) {
            networks = Values.mapIn(model, "networks");
            networks.put("default", new LinkedHashMap<String, Object>());
        }
        for (String kind : List.of("networks", "volumes", "secrets", "configs")) {
            for (var e : Values.map(model, kind).entrySet()) {
                Map<String, Object> def = e.getValue() instanceof Map<?, ?> m ? Normalizer.cast(m) : new LinkedHashMap<>();
                e.setValue(def);
                if (def.get("name") == null) {
                    def.put("name", Values.bool(def.get("external")) ? e.getKey() : project + "_" + e.getKey());
                }
            }
        }
    }

    private static void foldEnvFiles(String service, Map<String, Object> s, Function<String, String> env) {
        List<Object> files = Values.list(s, "env_file");
        if (files.isEmpty()) {
            return;
        }
        Map<String, Object> fromFiles = new LinkedHashMap<>();
        for (Object f : files) {
            Map<String, Object> m = Normalizer.cast((Map<?, ?>) f);
            Path p = Path.of(Values.str(m.get("path")));
            if (!Files.isRegularFile(p)) {
                if (Values.bool(m.getOrDefault("required", true))) {
                    throw invalid("env file " + p + " not found: stat " + p + ": no such file or directory");
                }
                continue;
            }
            fromFiles.putAll(EnvFile.read(p, env));
        }
        Map<String, Object> environment = Values.map(s, "environment");
        fromFiles.putAll(environment);
        s.put("environment", fromFiles);
    }

    private static BerthException invalid(String msg) {
        return new BerthException(ErrorKind.INVALID_ARGUMENT, msg);
    }
}
