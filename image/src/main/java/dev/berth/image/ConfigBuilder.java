package dev.berth.image;

import dev.berth.oci.image.ContainerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Mutable working copy of a {@link ContainerConfig}, used while applying change instructions. Not thread-safe. */
final class ConfigBuilder {
    String user;
    Map<String, Map<String, Object>> exposedPorts;
    List<String> env;
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

    static ConfigBuilder from(ContainerConfig c) {
        ConfigBuilder b = new ConfigBuilder();
        if (c == null) {
            return b;
        }
        b.user = c.user();
        b.exposedPorts = c.exposedPorts() == null ? null : new LinkedHashMap<>(c.exposedPorts());
        b.env = c.env() == null ? null : new ArrayList<>(c.env());
        b.entrypoint = c.entrypoint();
        b.cmd = c.cmd();
        b.volumes = c.volumes() == null ? null : new LinkedHashMap<>(c.volumes());
        b.workingDir = c.workingDir();
        b.labels = c.labels() == null ? null : new LinkedHashMap<>(c.labels());
        b.stopSignal = c.stopSignal();
        b.healthcheck = c.healthcheck();
        b.onBuild = c.onBuild() == null ? null : new ArrayList<>(c.onBuild());
        b.shell = c.shell();
        b.argsEscaped = c.argsEscaped();
        return b;
    }

    ContainerConfig build() {
        return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
                stopSignal, healthcheck, onBuild, shell, argsEscaped);
    }

    void setEnv(String key, String value) {
        if (env == null) {
            env = new ArrayList<>();
        }
        String prefix = key + "=";
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).startsWith(prefix) || env.get(i).equals(key)) {
                env.set(i, prefix + value);
                return;
            }
        }
        env.add(prefix + value);
    }
}
