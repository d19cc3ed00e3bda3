package dev.berth.compose.loader;

import dev.berth.common.ShellWords;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns Compose short syntax into the canonical long syntax (what {@code docker compose config}
 * prints): ports, volumes, depends_on, secrets, configs, environment/labels lists, env_file,
 * networks lists, build strings, command/entrypoint strings, healthcheck tests, ulimits. Relative
 * host paths are resolved against {@code baseDir} (the directory the defining file's paths are
 * relative to). Runs per file before merging, so merge rules can key on targets. Stateless.
 */
public final class Normalizer {
    private final Path baseDir;
    private final Function<String, String> env;

    public Normalizer(Path baseDir, Function<String, String> env) {
        this.baseDir = baseDir;
        this.env = env;
    }

    public void normalizeDocument(Map<String, Object> doc) {
        Map<String, Object> services = Values.map(doc, "services");
        for (var e : services.entrySet()) {
            if (e.getValue() == null) {
                e.setValue(new LinkedHashMap<String, Object>());
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> svc = (Map<String, Object>) e.getValue();
            normalizeService(svc);
        }
        for (String kind : List.of("volumes", "networks", "secrets", "configs")) {
            Map<String, Object> m = Values.map(doc, kind);
            for (var e : m.entrySet()) {
                if (e.getValue() == null) {
                    e.setValue(new LinkedHashMap<String, Object>());
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> def = (Map<String, Object>) e.getValue();
                if (def.get("file") instanceof String f) {
                    def.put("file", resolve(f));
                }
                if (def.get("external") instanceof Map<?, ?> ext && ext.get("name") != null) {
                    def.put("name", ext.get("name"));
                    def.put("external", true);
                }
                toMap(def, "labels");
                toMap(def, "driver_opts");
            }
        }
    }

    public void normalizeService(Map<String, Object> s) {
        Object build = s.get("build");
        if (build instanceof String ctx) {
            build = new LinkedHashMap<>(Map.of("context", ctx));
            s.put("build", build);
        }
        if (build instanceof Map<?, ?> bm) {
            @SuppressWarnings("unchecked")
            Map<String, Object> b = (Map<String, Object>) bm;
            String ctx = Values.str(b.getOrDefault("context", "."));
            b.put("context", ctx.contains("://") || ctx.startsWith("git@") ? ctx : resolve(ctx));
            b.putIfAbsent("dockerfile", "Dockerfile");
            toMap(b, "args");
            toMap(b, "labels");
        }
        for (String k : List.of("command", "entrypoint")) {
            if (s.get(k) instanceof String str) {
                s.put(k, ShellWords.split(str));
            }
        }
        toMap(s, "labels");
        toMap(s, "annotations");
        toMap(s, "sysctls");
        Map<String, Object> envMap = toMap(s, "environment");
        if (envMap != null) {
            for (var e : envMap.entrySet()) {
                if (e.getValue() == null) {
                    e.setValue(env.apply(e.getKey()));
                } else {
                    e.setValue(Values.str(e.getValue()));
                }
            }
        }
        if (s.containsKey("env_file")) {
            Object ef = s.get("env_file");
            List<Object> list = ef instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>(List.of(ef));
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                Map<String, Object> m = o instanceof Map<?, ?> mm ? Values.deepCopyMap(cast(mm)) : new LinkedHashMap<>(Map.of("path", Values.str(o)));
                m.put("path", resolve(Values.str(m.get("path"))));
                m.putIfAbsent("required", true);
                out.add(m);
            }
            s.put("env_file", out);
        }
        for (String k : List.of("dns", "dns_search", "tmpfs", "env_file_ignored")) {
            if (s.get(k) instanceof String str) {
                s.put(k, new ArrayList<>(List.of(str)));
            }
        }
        if (s.containsKey("expose")) {
            List<Object> ex = new ArrayList<>();
            Values.list(s, "expose").forEach(x -> ex.add(Values.str(x)));
            s.put("expose", ex);
        }
        if (s.containsKey("ports")) {
            List<Object> out = new ArrayList<>();
            for (Object p : Values.list(s, "ports")) {
                out.addAll(p instanceof Map<?, ?> m ? List.of(longPort(cast(m))) : Ports.parse(Values.str(p)));
            }
            s.put("ports", out);
        }
        if (s.containsKey("volumes")) {
            List<Object> out = new ArrayList<>();
            for (Object v : Values.list(s, "volumes")) {
                Map<String, Object> m = v instanceof Map<?, ?> mm ? cast(mm) : Mounts.parse(Values.str(v));
                if ("bind".equals(m.get("type")) && m.get("source") instanceof String src) {
                    m.put("source", resolve(src));
                }
                out.add(m);
            }
            s.put("volumes", out);
        }
        if (s.containsKey("depends_on")) {
            Object d = s.get("depends_on");
            Map<String, Object> out = new LinkedHashMap<>();
            if (d instanceof List<?> l) {
                for (Object o : l) {
                    out.put(Values.str(o), new LinkedHashMap<>(Map.of("condition", "service_started", "required", true)));
                }
            } else if (d instanceof Map<?, ?> m) {
                cast(m).forEach((k, v) -> {
                    Map<String, Object> c = v instanceof Map<?, ?> vm ? cast(vm) : new LinkedHashMap<>();
                    c.putIfAbsent("condition", "service_started");
                    c.putIfAbsent("required", true);
                    out.put(k, c);
                });
            }
            s.put("depends_on", out);
        }
        for (String k : List.of("secrets", "configs")) {
            if (s.containsKey(k)) {
                List<Object> out = new ArrayList<>();
                for (Object o : Values.list(s, k)) {
                    out.add(o instanceof Map<?, ?> m ? cast(m) : new LinkedHashMap<>(Map.of("source", Values.str(o))));
                }
                s.put(k, out);
            }
        }
        if (s.get("networks") instanceof List<?> l) {
            Map<String, Object> out = new LinkedHashMap<>();
            l.forEach(n -> out.put(Values.str(n), null));
            s.put("networks", out);
        }
        if (s.get("healthcheck") instanceof Map<?, ?> hm) {
            Map<String, Object> h = cast(hm);
            if (h.get("test") instanceof String t) {
                h.put("test", new ArrayList<>(List.of("CMD-SHELL", t)));
            }
        }
        if (s.get("ulimits") instanceof Map<?, ?> um) {
            cast(um).replaceAll((k, v) -> v instanceof Map ? v
                    : new LinkedHashMap<>(Map.of("soft", v, "hard", v)));
        }
        if (s.get("extra_hosts") instanceof Map<?, ?> xm) {
            List<Object> out = new ArrayList<>();
            cast(xm).forEach((k, v) -> out.add(k + "=" + (v instanceof List<?> l ? l.getFirst() : v)));
            s.put("extra_hosts", out);
        }
    }

    private static Map<String, Object> longPort(Map<String, Object> m) {
        Map<String, Object> p = new LinkedHashMap<>(m);
        p.putIfAbsent("mode", "ingress");
        p.putIfAbsent("protocol", "tcp");
        if (p.get("published") != null) {
            p.put("published", Values.str(p.get("published")));
        }
        return p;
    }

    /** Converts a list of "K=V" into a map in place; returns the map (or null if absent). */
    static Map<String, Object> toMap(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        if (v instanceof List<?> l) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Object o : l) {
                String s = Values.str(o);
                int eq = s.indexOf('=');
                m.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
            parent.put(key, m);
            return m;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> c = cast(m);
            c.replaceAll((k, x) -> x == null ? null : Values.str(x));
            return c;
        }
        return null;
    }

    private String resolve(String p) {
        if (p == null) {
            return null;
        }
        if (p.startsWith("~")) {
            p = System.getProperty("user.home") + p.substring(1);
        }
        return baseDir.resolve(p).normalize().toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    static BerthException invalid(String msg) {
        return new BerthException(ErrorKind.INVALID_ARGUMENT, msg);
    }
}
