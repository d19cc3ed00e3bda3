package dev.berth.daemon.container;

import dev.berth.api.model.ContainerConfig;
import dev.berth.api.model.HostConfig;
import dev.berth.api.model.MountSpec;
import dev.berth.common.BerthException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns {@code Binds} ({@code -v}), {@code Mounts} ({@code --mount}), {@code Tmpfs} and the image's
 * {@code Volumes} into {@link PlannedMount}s, validating with Docker's messages. Pure: anonymous
 * volumes get an empty source here and are created by the caller. Later sources win in Docker's
 * order: image volumes are skipped where the user mounted something.
 */
public final class MountPlanner {
    private static final Pattern VOLUME_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
    private static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "shared", "rshared", "slave", "rslave");

    private MountPlanner() {}

    public static List<PlannedMount> plan(ContainerConfig cfg, HostConfig hc) {
        return plan(cfg, hc, List.of());
    }

    /** @param inherited mounts from {@code --volumes-from} containers (lowest precedence after the image's volumes) */
    public static List<PlannedMount> plan(ContainerConfig cfg, HostConfig hc, List<PlannedMount> inherited) {
        Map<String, PlannedMount> byDest = new LinkedHashMap<>();
        if (hc.binds() != null) {
            for (String b : hc.binds()) {
                put(byDest, parseBind(b));
            }
        }
        if (hc.mounts() != null) {
            for (MountSpec m : hc.mounts()) {
                put(byDest, parseMount(m));
            }
        }
        if (hc.tmpfs() != null) {
            for (var e : hc.tmpfs().entrySet()) {
                String dest = e.getKey();
                requireAbsolute(dest, "tmpfs", dest);
                List<String> opts = new ArrayList<>(List.of("noexec", "nosuid", "nodev"));
                if (e.getValue() != null && !e.getValue().isEmpty()) {
                    opts.addAll(List.of(e.getValue().split(",")));
                }
                put(byDest, new PlannedMount("tmpfs", "", clean(dest), true, "", "", false, false, null, opts));
            }
        }
        for (PlannedMount m : inherited) {
            byDest.putIfAbsent(m.destination(), m);
        }
        if (cfg.volumes() != null) {
            for (String dest : cfg.volumes().keySet()) {
                String d = clean(dest);
                if (!byDest.containsKey(d)) {
                    byDest.put(d, new PlannedMount("volume", "", d, true, "", "", true, false, "local", List.of()));
                }
            }
        }
        return new ArrayList<>(byDest.values());
    }

    /**
     * The volume and bind mounts of a {@code --volumes-from name[:ro|rw]} source container; the
     * mode forces read-only or read-write, otherwise each mount keeps its own. Inherited volumes
     * are never "anonymous" for the new container (rm -v of it must not delete them).
     */
    public static List<PlannedMount> inherit(List<PlannedMount> source, String mode) {
        if (!mode.isEmpty() && !mode.equals("ro") && !mode.equals("rw")) {
            throw BerthException.invalid("invalid mode for volumes-from: %s", mode);
        }
        List<PlannedMount> out = new ArrayList<>();
        for (PlannedMount m : source) {
            if (m.type().equals("tmpfs")) {
                continue;
            }
            boolean rw = mode.isEmpty() ? m.rw() : mode.equals("rw");
            out.add(new PlannedMount(m.type(), m.source(), m.destination(), rw, mode.isEmpty() ? m.mode() : mode, m.propagation(),
                    false, true, m.driver(), m.options()));
        }
        return out;
    }

    private static void put(Map<String, PlannedMount> byDest, PlannedMount m) {
        if (byDest.putIfAbsent(m.destination(), m) != null) {
            throw BerthException.invalid("Duplicate mount point: %s", m.destination());
        }
    }

    /** {@code -v [src:]dst[:mode]}. */
    static PlannedMount parseBind(String spec) {
        String[] parts = spec.split(":");
        if (parts.length == 0 || parts.length > 3 || spec.isEmpty()) {
            throw BerthException.invalid("invalid volume specification: '%s'", spec);
        }
        String src;
        String dst;
        String mode = "";
        if (parts.length == 1) {
            src = "";
            dst = parts[0];
        } else if (parts.length == 2 && !parts[1].startsWith("/") && parts[0].startsWith("/") && isMode(parts[1])) {
            src = "";
            dst = parts[0];
            mode = parts[1];
        } else {
            src = parts[0];
            dst = parts[1];
            if (parts.length == 3) {
                mode = parts[2];
            }
        }
        if (!dst.startsWith("/")) {
            // the type follows the source, as in moby's linux parser: an absolute source is a bind
            String type = src.startsWith("/") ? "bind" : "volume";
            throw BerthException.invalid("invalid volume specification: '%s': invalid mount config for type \"%s\": invalid mount path: '%s' mount path must be absolute", spec, type, dst);
        }
        if (dst.equals("/")) {
            throw BerthException.invalid("invalid volume specification: '%s': invalid mount config for type \"bind\": invalid specification: destination can't be '/'", spec);
        }
        boolean rw = true;
        boolean noCopy = false;
        String propagation = "";
        if (!mode.isEmpty()) {
            for (String m : mode.split(",")) {
                switch (m) {
                    case "ro" -> rw = false;
                    case "rw", "z", "Z", "consistent", "cached", "delegated" -> { }
                    case "nocopy" -> noCopy = true;
                    default -> {
                        if (PROPAGATIONS.contains(m)) {
                            propagation = m;
                        } else {
                            throw BerthException.invalid("invalid mode: %s", mode);
                        }
                    }
                }
            }
        }
        if (src.isEmpty()) {
            return new PlannedMount("volume", "", clean(dst), rw, mode, "", true, noCopy, "local", List.of());
        }
        if (src.startsWith("/")) {
            return new PlannedMount("bind", clean(src), clean(dst), rw, mode, propagation.isEmpty() ? "rprivate" : propagation,
                    false, false, null, List.of());
        }
        validateVolumeName(src);
        return new PlannedMount("volume", src, clean(dst), rw, mode, "", false, noCopy, "local", List.of());
    }

    private static boolean isMode(String s) {
        for (String m : s.split(",")) {
            if (!Set.of("ro", "rw", "z", "Z", "nocopy").contains(m) && !PROPAGATIONS.contains(m)) {
                return false;
            }
        }
        return true;
    }

    static void validateVolumeName(String name) {
        if (!VOLUME_NAME.matcher(name).matches()) {
            throw BerthException.invalid(
                    "create %s: \"%s\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path",
                    name, name);
        }
    }

    /** {@code --mount type=…}. */
    static PlannedMount parseMount(MountSpec m) {
        String type = m.type() == null ? "volume" : m.type();
        String target = m.target();
        if (target == null || target.isEmpty()) {
            throw BerthException.invalid("invalid mount config for type \"%s\": field Target must not be empty", type);
        }
        requireAbsolute(target, type, target);
        boolean rw = m.readOnly() == null || !m.readOnly();
        switch (type) {
            case "bind" -> {
                String src = m.source();
                if (src == null || src.isEmpty()) {
                    throw BerthException.invalid("invalid mount config for type \"bind\": field Source must not be empty");
                }
                if (!src.startsWith("/")) {
                    throw BerthException.invalid("invalid mount config for type \"bind\": invalid mount path: '%s' mount path must be absolute", src);
                }
                boolean create = m.bindOptions() != null && Boolean.TRUE.equals(m.bindOptions().createMountpoint());
                if (!create && !java.nio.file.Files.exists(java.nio.file.Path.of(src))) {
                    throw BerthException.invalid("invalid mount config for type \"bind\": bind source path does not exist: %s", src);
                }
                String prop = m.bindOptions() != null && m.bindOptions().propagation() != null && !m.bindOptions().propagation().isEmpty()
                        ? m.bindOptions().propagation() : "rprivate";
                if (!PROPAGATIONS.contains(prop)) {
                    throw BerthException.invalid("invalid mount config for type \"bind\": invalid propagation: %s", prop);
                }
                List<String> opts = m.bindOptions() != null && Boolean.TRUE.equals(m.bindOptions().nonRecursive()) ? List.of("bind") : List.of();
                return new PlannedMount("bind", clean(src), clean(target), rw, "", prop, false, false, null, opts);
            }
            case "volume" -> {
                String src = m.source() == null ? "" : m.source();
                if (!src.isEmpty()) {
                    validateVolumeName(src);
                }
                boolean noCopy = m.volumeOptions() != null && Boolean.TRUE.equals(m.volumeOptions().noCopy());
                String driver = m.volumeOptions() != null && m.volumeOptions().driverConfig() != null && m.volumeOptions().driverConfig().name() != null
                        ? m.volumeOptions().driverConfig().name() : "local";
                return new PlannedMount("volume", src, clean(target), rw, "z", "", src.isEmpty(), noCopy, driver, List.of());
            }
            case "tmpfs" -> {
                if (m.source() != null && !m.source().isEmpty()) {
                    throw BerthException.invalid("invalid mount config for type \"tmpfs\": field Source must not be specified");
                }
                List<String> opts = new ArrayList<>(List.of("nosuid", "nodev", "noexec"));
                if (m.tmpfsOptions() != null) {
                    if (m.tmpfsOptions().sizeBytes() != null && m.tmpfsOptions().sizeBytes() > 0) {
                        opts.add("size=" + m.tmpfsOptions().sizeBytes());
                    }
                    if (m.tmpfsOptions().mode() != null && m.tmpfsOptions().mode() != 0) {
                        opts.add("mode=" + Integer.toOctalString(m.tmpfsOptions().mode()));
                    }
                }
                if (!rw) {
                    opts.add("ro");
                }
                return new PlannedMount("tmpfs", "", clean(target), rw, "", "", false, false, null, opts);
            }
            default -> throw BerthException.invalid("invalid mount config for type \"%s\": mount type unknown", type);
        }
    }

    private static void requireAbsolute(String path, String type, String shown) {
        if (!path.startsWith("/")) {
            throw BerthException.invalid("invalid mount config for type \"%s\": invalid mount path: '%s' mount path must be absolute", type, shown);
        }
    }

    static String clean(String p) {
        String c = java.nio.file.Path.of(p).normalize().toString();
        return c.isEmpty() ? "/" : c;
    }
}
