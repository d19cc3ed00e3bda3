package dev.berth.daemon.container;

import dev.berth.api.model.ContainerConfig;
import dev.berth.api.model.HealthConfig;
import dev.berth.common.BerthException;
import dev.berth.image.ImageRuntimeConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges an image's runtime defaults into the user's container config, as moby's
 * {@code daemon.merge} does, and computes Path/Args. Pure functions.
 */
public final class ConfigMerger {
    private ConfigMerger() {}

    /** The merged config; {@code imageName} is what the user asked for (Config.Image). */
    public static ContainerConfig merge(ContainerConfig user, ImageRuntimeConfig img, String imageName) {
        ContainerConfig u = user;
        if (img == null) {
            img = new ImageRuntimeConfig(null, null, null, null, null, null, null, null, null, null, null, null, null);
        }
        List<String> env = mergeEnv(u.env(), img.env());

        // --entrypoint "" arrives as [""]: it resets the image's entrypoint (and cmd).
        boolean entrypointReset = u.entrypoint() != null && u.entrypoint().size() == 1 && u.entrypoint().getFirst().isEmpty();
        List<String> entrypoint = entrypointReset ? null : u.entrypoint();
        List<String> cmd = u.cmd();
        Boolean argsEscaped = u.argsEscaped();
        if (!entrypointReset && (entrypoint == null || entrypoint.isEmpty())) {
            if (cmd == null || cmd.isEmpty()) {
                cmd = img.cmd();
                argsEscaped = img.argsEscaped();
            }
            if (entrypoint == null) {
                entrypoint = img.entrypoint();
            }
        }

        Map<String, Map<String, Object>> exposed = new LinkedHashMap<>();
        if (img.exposedPorts() != null) {
            img.exposedPorts().forEach(p -> exposed.put(normalizePort(p), Map.of()));
        }
        if (u.exposedPorts() != null) {
            u.exposedPorts().keySet().forEach(p -> exposed.put(normalizePort(p), Map.of()));
        }
        Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
        if (img.volumes() != null) {
            img.volumes().forEach(v -> volumes.put(v, Map.of()));
        }
        if (u.volumes() != null) {
            u.volumes().keySet().forEach(v -> volumes.put(v, Map.of()));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (img.labels() != null) {
            labels.putAll(img.labels());
        }
        if (u.labels() != null) {
            labels.putAll(u.labels());
        }
        String workingDir = blank(u.workingDir()) ? img.workingDir() : u.workingDir();
        String userName = blank(u.user()) ? img.user() : u.user();
        String stopSignal = blank(u.stopSignal()) ? img.stopSignal() : u.stopSignal();
        HealthConfig hc = mergeHealth(u.healthcheck(), img.healthcheck());
        List<String> shell = u.shell() != null ? u.shell() : img.shell();
        List<String> onBuild = u.onBuild() != null ? u.onBuild() : img.onBuild();

        return new ContainerConfig(
                u.hostname(), u.domainname(), userName == null ? "" : userName,
                u.attachStdin(), u.attachStdout(), u.attachStderr(),
                exposed.isEmpty() ? null : exposed,
                u.tty(), u.openStdin(), u.stdinOnce(),
                env, cmd, hc, argsEscaped, imageName,
                volumes.isEmpty() ? null : volumes,
                workingDir == null ? "" : workingDir,
                entrypoint, u.networkDisabled(), onBuild, labels, stopSignal, u.stopTimeout(), shell);
    }

    static List<String> mergeEnv(List<String> user, List<String> image) {
        List<String> out = new ArrayList<>(user == null ? List.of() : user);
        if (image == null) {
            return out;
        }
        Set<String> keys = new java.util.HashSet<>();
        for (String e : out) {
            keys.add(key(e));
        }
        for (String e : image) {
            if (!keys.contains(key(e))) {
                out.add(e);
            }
        }
        return out;
    }

    static String key(String env) {
        int eq = env.indexOf('=');
        return eq < 0 ? env : env.substring(0, eq);
    }

    static HealthConfig mergeHealth(HealthConfig user, ImageRuntimeConfig.Healthcheck image) {
        if (image == null) {
            return user;
        }
        if (user == null) {
            return new HealthConfig(image.test(), image.interval(), image.timeout(), image.retries(), image.startPeriod(), image.startInterval());
        }
        return new HealthConfig(
                user.test() == null || user.test().isEmpty() ? image.test() : user.test(),
                z(user.interval()) ? image.interval() : user.interval(),
                z(user.timeout()) ? image.timeout() : user.timeout(),
                user.retries() == null || user.retries() == 0 ? image.retries() : user.retries(),
                z(user.startPeriod()) ? image.startPeriod() : user.startPeriod(),
                z(user.startInterval()) ? image.startInterval() : user.startInterval());
    }

    private static boolean z(Long v) {
        return v == null || v == 0;
    }

    static String normalizePort(String p) {
        return p.contains("/") ? p : p + "/tcp";
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }

    /** Path and Args (entrypoint + cmd); INVALID_ARGUMENT "no command specified" when empty. */
    public static List<String> commandLine(ContainerConfig c) {
        List<String> all = new ArrayList<>();
        if (c.entrypoint() != null) {
            all.addAll(c.entrypoint());
        }
        if (c.cmd() != null) {
            all.addAll(c.cmd());
        }
        if (all.isEmpty() || all.getFirst().isEmpty()) {
            throw BerthException.invalid("no command specified");
        }
        return all;
    }
}
