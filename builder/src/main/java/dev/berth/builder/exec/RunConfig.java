package dev.berth.builder.exec;

import dev.berth.oci.image.ContainerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutable image config a stage builds up, converted from and to the immutable
 * {@link ContainerConfig}. Confined to the building thread.
 */
final class RunConfig {
    String user;
    Map<String, Map<String, Object>> exposedPorts;
    List<String> env = new ArrayList<>();
    List<String> entrypoint;
    List<String> cmd;
    Map<String, Map<String, Object>> volumes;
    String workingDir;
    Map<String, String> labels;
    String stopSignal;
    ContainerConfig.HealthConfig healthcheck;
    List<String> onBuild;
    List<String> shell;
    Boolean argsEscaped;

    static RunConfig from(ContainerConfig c) {
        RunConfig r = new RunConfig();
        if (c == null) {
            return r;
        }
        r.user = c.user();
        r.exposedPorts = c.exposedPorts() == null ? null : new LinkedHashMap<>(c.exposedPorts());
        r.env = c.env() == null ? new ArrayList<>() : new ArrayList<>(c.env());
        r.entrypoint = c.entrypoint() == null ? null : new ArrayList<>(c.entrypoint());
        r.cmd = c.cmd() == null ? null : new ArrayList<>(c.cmd());
        r.volumes = c.volumes() == null ? null : new LinkedHashMap<>(c.volumes());
        r.workingDir = c.workingDir();
        r.labels = c.labels() == null ? null : new LinkedHashMap<>(c.labels());
        r.stopSignal = c.stopSignal();
        r.healthcheck = c.healthcheck();
        r.onBuild = c.onBuild() == null ? null : new ArrayList<>(c.onBuild());
        r.shell = c.shell() == null ? null : new ArrayList<>(c.shell());
        r.argsEscaped = c.argsEscaped();
        return r;
    }

    ContainerConfig toConfig() {
        return new ContainerConfig(emptyToNull(user), copy(exposedPorts), env.isEmpty() ? null : List.copyOf(env),
                entrypoint == null ? null : List.copyOf(entrypoint), cmd == null ? null : List.copyOf(cmd),
                copy(volumes), emptyToNull(workingDir), labels == null ? null : Map.copyOf(labels), stopSignal,
                healthcheck, onBuild == null || onBuild.isEmpty() ? null : List.copyOf(onBuild),
                shell == null ? null : List.copyOf(shell), argsEscaped);
    }

    private static <V> Map<String, V> copy(Map<String, V> m) {
        return m == null ? null : new LinkedHashMap<>(m);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** ENV as a map (later duplicates win). */
    Map<String, String> envMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : env) {
            int eq = kv.indexOf('=');
            if (eq < 0) {
                m.put(kv, "");
            } else {
                m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return m;
    }

    /** Sets or replaces {@code key=value} in place, as Docker does. */
    void setEnv(String key, String value) {
        String kv = key + "=" + value;
        for (int i = 0; i < env.size(); i++) {
            String e = env.get(i);
            int eq = e.indexOf('=');
            if ((eq < 0 ? e : e.substring(0, eq)).equals(key)) {
                env.set(i, kv);
                return;
            }
        }
        env.add(kv);
    }

    /** The shell for shell-form commands. */
    List<String> shellOrDefault() {
        return shell == null || shell.isEmpty() ? List.of("/bin/sh", "-c") : shell;
    }
}
