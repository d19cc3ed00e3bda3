package dev.berth.builder.exec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Build-argument scoping for one stage (moby's BuildArgs): a stage sees an arg only from its ARG
 * line on; {@code --build-arg} overrides the default; an ARG without a default takes the value of
 * the global ARG of the same name; the predefined proxy args are visible without declaration but
 * stay out of history and cache keys unless declared; ENV of the same name hides an arg.
 * Confined to the building thread.
 */
final class BuildArgs {
    static final Set<String> BUILTIN = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
            "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

    private final Map<String, String> options;
    private final Map<String, String> meta;
    private final Map<String, String> declared;
    private final Set<String> referenced;

    BuildArgs(Map<String, String> options, Map<String, String> meta, Set<String> referenced) {
        this(options, meta, new LinkedHashMap<>(), referenced);
    }

    private BuildArgs(Map<String, String> options, Map<String, String> meta, Map<String, String> declared,
                      Set<String> referenced) {
        this.options = options;
        this.meta = meta;
        this.declared = declared;
        this.referenced = referenced;
    }

    /** A copy for a stage built on this one (it inherits the declarations). */
    BuildArgs inherit() {
        return new BuildArgs(options, meta, new LinkedHashMap<>(declared), referenced);
    }

    /** A fresh scope for an unrelated stage. */
    BuildArgs fresh() {
        return new BuildArgs(options, meta, new LinkedHashMap<>(), referenced);
    }

    /** Declares an arg; {@code defaultValue} is already expanded, null when none. Returns its value. */
    String declare(String name, String defaultValue) {
        referenced.add(name);
        String value;
        if (options.get(name) != null) {
            value = options.get(name);
        } else if (defaultValue != null) {
            value = defaultValue;
        } else {
            value = meta.get(name);
        }
        declared.put(name, value);
        return value;
    }

    /** Args a step sees as environment: declared ones with a value and given proxies, unless ENV hides them. */
    Map<String, String> visible(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        declared.forEach((k, v) -> {
            if (v != null && !env.containsKey(k)) {
                out.put(k, v);
            }
        });
        options.forEach((k, v) -> {
            if (BUILTIN.contains(k) && v != null && !declared.containsKey(k) && !env.containsKey(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** {@link #visible} without undeclared proxy args: what history and cache keys include. */
    Map<String, String> forHistory(Map<String, String> env) {
        Map<String, String> out = visible(env);
        out.keySet().removeIf(k -> BUILTIN.contains(k) && !declared.containsKey(k));
        return out;
    }

    /** Variables for substitution: ENV plus visible args (ENV wins). */
    Map<String, String> substitutionEnv(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>(visible(env));
        out.putAll(env);
        return out;
    }

    /** --build-arg names no ARG declared (proxies excepted), sorted. */
    static Set<String> unconsumed(Map<String, String> options, Set<String> referenced) {
        Set<String> out = new TreeSet<>();
        for (String k : options.keySet()) {
            if (!referenced.contains(k) && !BUILTIN.contains(k)) {
                out.add(k);
            }
        }
        return out;
    }
}
