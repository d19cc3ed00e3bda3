package dev.berth.daemon.container;

import dev.berth.api.model.HostConfig;
import dev.berth.common.BerthException;
import dev.berth.daemon.config.ContainerDefaults;
import dev.berth.oci.Mount;
import dev.berth.runtime.RuntimeContainerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link RuntimeContainerSpec} of one start from the container's merged config and
 * HostConfig plus what start prepared (rootfs mounts, volume paths, sandbox). Pure apart from the
 * lookups it is given.
 */
public final class SpecAssembler {
    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final long DEFAULT_SHM = 64L * 1024 * 1024;
    static final long CPU_PERIOD = 100_000;

    /** Resolves "container:<x>" to the pid of that (running) container. */
    public interface PidLookup {
        int runningPid(String nameOrId, String what);
    }

    /**
     * @param mounts resolved extra mounts (binds, volumes, tmpfs, /etc/hosts …)
     * @param netnsPath from the sandbox; null for host networking
     */
    public record Inputs(
            ContainerRecord rec,
            Path rootfs,
            List<Mount> rootfsMounts,
            List<Mount> mounts,
            String netnsPath,
            List<RuntimeContainerSpec.IdMapping> uidMappings,
            List<RuntimeContainerSpec.IdMapping> gidMappings,
            String defaultCgroupParent,
            ContainerDefaults defaults) {
        public Inputs {
            defaults = defaults == null ? ContainerDefaults.none() : defaults;
        }

        /** Without daemon container defaults (dockerd's). */
        public Inputs(ContainerRecord rec, Path rootfs, List<Mount> rootfsMounts, List<Mount> mounts, String netnsPath,
                      List<RuntimeContainerSpec.IdMapping> uidMappings, List<RuntimeContainerSpec.IdMapping> gidMappings,
                      String defaultCgroupParent) {
            this(rec, rootfs, rootfsMounts, mounts, netnsPath, uidMappings, gidMappings, defaultCgroupParent, null);
        }
    }

    private SpecAssembler() {}

    public static RuntimeContainerSpec assemble(Inputs in, PidLookup pids) {
        ContainerRecord r = in.rec();
        HostConfig hc = r.hostConfig;
        List<String> args = new ArrayList<>();
        args.add(r.path);
        args.addAll(r.args);
        ContainerDefaults daemon = in.defaults();
        SecurityOpts sec = withDaemonSeccomp(SecurityOpts.parse(hc.securityOpt(), daemon.noNewPrivileges()), daemon, hc.privileged());
        var security = new RuntimeContainerSpec.Security(
                hc.privileged(), nn(hc.capAdd()), nn(hc.capDrop()), sec.seccomp(), sec.seccompProfile(), sec.noNewPrivileges(),
                hc.maskedPaths(), hc.readonlyPaths());
        var ns = new RuntimeContainerSpec.Namespaces(
                nsMode(hc.pidMode(), "pid", pids),
                nsMode(ipcMode(hc.ipcMode()), "ipc", pids),
                "host".equals(hc.utsMode()) ? "host" : null,
                // the runtime spec builder reads null as "no cgroup namespace": say "private" to get one
                "private".equals(hc.cgroupnsMode()) ? "private" : "host",
                in.uidMappings(), in.gidMappings());
        List<Mount> mounts = new ArrayList<>(in.mounts());
        mounts.sort(Comparator.comparingInt(m -> depth(m.destination())));
        return new RuntimeContainerSpec(
                r.id, in.rootfs(), in.rootfsMounts(), hc.readonlyRootfs(), args, environment(r),
                r.config.workingDir() == null || r.config.workingDir().isEmpty() ? "/" : r.config.workingDir(),
                r.config.user() == null ? "" : r.config.user(),
                nn(hc.groupAdd()),
                r.config.hostname(), r.config.domainname() == null ? "" : r.config.domainname(),
                r.config.tty(), mounts, security, in.netnsPath(), ns, resources(hc),
                ulimits(hc.ulimits(), daemon.ulimits()),
                hc.sysctls() == null ? Map.of() : hc.sysctls(),
                hc.devices() == null ? List.of() : hc.devices().stream().map(d -> new RuntimeContainerSpec.Device(
                        d.pathOnHost(),
                        d.pathInContainer() == null || d.pathInContainer().isEmpty() ? d.pathOnHost() : d.pathInContainer(),
                        d.cgroupPermissions() == null || d.cgroupPermissions().isEmpty() ? "rwm" : d.cgroupPermissions())).toList(),
                hc.shmSize() == null || hc.shmSize() == 0 ? daemon.shmSize() : hc.shmSize(),
                hc.init() != null ? hc.init() : daemon.init(),
                hc.cgroupParent() != null && !hc.cgroupParent().isEmpty() ? hc.cgroupParent() : in.defaultCgroupParent(),
                hc.annotations() == null ? Map.of() : hc.annotations());
    }

    /** dockerd's mergeUlimits: the container's ulimits, then the daemon's of other names. */
    static List<RuntimeContainerSpec.Ulimit> ulimits(List<HostConfig.Ulimit> own, List<HostConfig.Ulimit> daemon) {
        List<RuntimeContainerSpec.Ulimit> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (HostConfig.Ulimit u : own == null ? List.<HostConfig.Ulimit>of() : own) {
            out.add(new RuntimeContainerSpec.Ulimit(u.name(), u.soft(), u.hard()));
            names.add(u.name());
        }
        for (HostConfig.Ulimit u : daemon) {
            if (names.add(u.name())) {
                out.add(new RuntimeContainerSpec.Ulimit(u.name(), u.soft(), u.hard()));
            }
        }
        return out;
    }

    /**
     * The daemon's --seccomp-profile replaces the built-in profile for containers without a
     * {@code seccomp=} security option of their own; privileged containers get none either way.
     */
    static SecurityOpts withDaemonSeccomp(SecurityOpts sec, ContainerDefaults daemon, boolean privileged) {
        if (sec.seccomp() != RuntimeContainerSpec.SeccompMode.DEFAULT || daemon.seccompProfile() == null || privileged) {
            return sec;
        }
        return ContainerDefaults.UNCONFINED.equals(daemon.seccompProfile())
                ? new SecurityOpts(RuntimeContainerSpec.SeccompMode.UNCONFINED, null, sec.noNewPrivileges(), sec.systemPathsUnconfined())
                : new SecurityOpts(RuntimeContainerSpec.SeccompMode.CUSTOM, daemon.seccompProfile(), sec.noNewPrivileges(), sec.systemPathsUnconfined());
    }

    /** Docker's process environment: PATH default, HOSTNAME, TERM for TTYs, then the config's Env (which wins). */
    static List<String> environment(ContainerRecord r) {
        Map<String, String> env = new LinkedHashMap<>();
        put(env, DEFAULT_PATH);
        put(env, "HOSTNAME=" + r.config.hostname());
        if (r.config.tty()) {
            put(env, "TERM=xterm");
        }
        if (r.config.env() != null) {
            r.config.env().forEach(e -> put(env, e));
        }
        return new ArrayList<>(env.values());
    }

    private static void put(Map<String, String> env, String e) {
        env.put(ConfigMerger.key(e), e);
    }

    public static RuntimeContainerSpec.Resources resources(HostConfig hc) {
        Long quota = hc.cpuQuota();
        Long period = hc.cpuPeriod();
        if (hc.nanoCpus() != null && hc.nanoCpus() > 0) {
            period = CPU_PERIOD;
            quota = hc.nanoCpus() * CPU_PERIOD / 1_000_000_000L;
        }
        return new RuntimeContainerSpec.Resources(
                pos(hc.memory()), hc.memorySwap() == null || hc.memorySwap() == 0 ? null : hc.memorySwap(),
                pos(hc.memoryReservation()), pos(hc.cpuShares()), pos(quota), pos(period),
                empty(hc.cpusetCpus()), empty(hc.cpusetMems()), hc.pidsLimit() == null || hc.pidsLimit() == 0 ? null : hc.pidsLimit(),
                hc.blkioWeight() == null || hc.blkioWeight() == 0 ? null : hc.blkioWeight(),
                hc.oomKillDisable(), hc.oomScoreAdj());
    }

    private static String ipcMode(String mode) {
        return mode;
    }

    private static String nsMode(String mode, String type, PidLookup pids) {
        if (mode == null || mode.isEmpty() || mode.equals("private") || mode.equals("shareable") || mode.equals("none")) {
            return null;
        }
        if (mode.equals("host")) {
            return "host";
        }
        if (mode.startsWith("container:")) {
            int pid = pids.runningPid(mode.substring("container:".length()), type);
            return "/proc/" + pid + "/ns/" + type;
        }
        throw BerthException.invalid("invalid %s mode: %s", type, mode);
    }

    static int depth(String dest) {
        return dest == null ? 0 : Path.of(dest).normalize().getNameCount();
    }

    private static Long pos(Long v) {
        return v == null || v <= 0 ? null : v;
    }

    private static String empty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static List<String> nn(List<String> l) {
        return l == null ? List.of() : l;
    }

    /** OCI mounts for the container's planned mounts; {@code volumePath} gives acquired volume paths. */
    public static List<Mount> ociMounts(List<PlannedMount> planned, java.util.function.Function<String, Path> volumePath) {
        List<Mount> out = new ArrayList<>();
        for (PlannedMount m : planned) {
            switch (m.type()) {
                case "bind" -> {
                    List<String> o = new ArrayList<>();
                    o.add(m.options().contains("bind") ? "bind" : "rbind");
                    o.add(m.rw() ? "rw" : "ro");
                    if (!m.propagation().isEmpty()) {
                        o.add(m.propagation());
                    }
                    out.add(new Mount("bind", m.source(), m.destination(), o));
                }
                case "volume" -> out.add(new Mount("bind", volumePath.apply(m.source()).toString(), m.destination(),
                        List.of("rbind", m.rw() ? "rw" : "ro", "rprivate")));
                case "tmpfs" -> out.add(new Mount("tmpfs", "tmpfs", m.destination(), m.options()));
                default -> throw BerthException.invalid("invalid mount config for type \"%s\": mount type unknown", m.type());
            }
        }
        return out;
    }

    /** Reads {@code /etc/subuid}-style ranges for {@code user}: the first range, as Docker uses. */
    public static List<RuntimeContainerSpec.IdMapping> subIds(Path file, String user) {
        try {
            for (String line : java.nio.file.Files.readAllLines(file)) {
                String[] p = line.trim().split(":");
                if (p.length == 3 && p[0].equals(user)) {
                    return List.of(new RuntimeContainerSpec.IdMapping(0, Long.parseLong(p[1]), Long.parseLong(p[2])));
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            throw BerthException.invalid("cannot read %s for user namespace remapping: %s", file, e.getMessage());
        }
        throw BerthException.invalid("no subordinate ids for user %s in %s (userns-remap)", user, file);
    }
}
