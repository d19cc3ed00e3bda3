package dev.berth.runtime;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import dev.berth.oci.Mount;
import dev.berth.sys.mount.DeviceNode;
import dev.berth.sys.proc.ProcFs;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds a container's OCI runtime {@code config.json} from a {@link RuntimeContainerSpec} with
 * Docker's defaults (capabilities, seccomp, masked and read-only paths, default mounts,
 * namespaces, device rules, rlimits). Host facts come from the injected {@link HostInfo} so the
 * output is deterministic for a given host; the rootfs must be readable (for user lookup) when
 * {@link #build} runs. Thread-safe.
 */
public final class OciSpecBuilder {
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    public static final List<String> DEFAULT_MASKED_PATHS = List.of(
            "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/sched_debug", "/proc/scsi", "/proc/timer_list", "/proc/timer_stats", "/sys/devices/virtual/powercap",
            "/sys/firmware");
    public static final List<String> DEFAULT_READONLY_PATHS = List.of(
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
    public static final String INIT_PATH = "/sbin/docker-init";

    private final HostInfo host;
    private final SeccompProfiles seccomp;

    public OciSpecBuilder(HostInfo host, SeccompProfiles seccomp) {
        this.host = host;
        this.seccomp = seccomp;
    }

    public HostInfo host() {
        return host;
    }

    /** The spec as a JSON tree (field order as runc writes it). */
    public ObjectNode build(RuntimeContainerSpec c) {
        RuntimeContainerSpec.Security sec = c.security() != null ? c.security()
                : new RuntimeContainerSpec.Security(false, List.of(), List.of(), RuntimeContainerSpec.SeccompMode.DEFAULT, null, false, null, null);
        boolean privileged = sec.privileged();
        List<String> hostCaps = Capabilities.fromMask(host.capBounding());
        List<String> caps = Capabilities.compute(hostCaps, privileged, sec.capAdd(), sec.capDrop());

        ObjectNode spec = Json.mapper().createObjectNode();
        spec.put("ociVersion", "1.0.2-dev");
        spec.set("process", process(c, sec, caps));
        ObjectNode root = spec.putObject("root");
        root.put("path", c.rootfs().toString());
        if (c.readonlyRootfs()) {
            root.put("readonly", true);
        }
        if (c.hostname() != null && !c.hostname().isEmpty() && !"host".equals(nsMode(c, "uts"))) {
            spec.put("hostname", c.hostname());
        }
        if (c.domainname() != null && !c.domainname().isEmpty()) {
            spec.put("domainname", c.domainname());
        }
        spec.set("mounts", mounts(c, privileged));
        if (c.annotations() != null && !c.annotations().isEmpty()) {
            ObjectNode ann = spec.putObject("annotations");
            c.annotations().forEach(ann::put);
        }
        spec.set("linux", linux(c, sec, caps));
        return spec;
    }

    private static String nsMode(RuntimeContainerSpec c, String type) {
        RuntimeContainerSpec.Namespaces ns = c.namespaces();
        if (ns == null) {
            return null;
        }
        return switch (type) {
            case "pid" -> ns.pid();
            case "ipc" -> ns.ipc();
            case "uts" -> ns.uts();
            case "cgroup" -> ns.cgroup();
            default -> null;
        };
    }

    private ObjectNode process(RuntimeContainerSpec c, RuntimeContainerSpec.Security sec, List<String> caps) {
        ObjectNode p = Json.mapper().createObjectNode();
        p.put("terminal", c.tty());
        UserResolver.ExecUser u = UserResolver.resolve(c.rootfs(), c.user(), c.additionalGroups());
        p.set("user", user(u));
        ArrayNode args = p.putArray("args");
        if (c.args() == null || c.args().isEmpty()) {
            throw BerthException.invalid("no command specified");
        }
        if (c.init()) {
            if (host.catatonit().isEmpty()) {
                throw BerthException.invalid("--init requested but no init binary (catatonit) is installed on the host");
            }
            args.add(INIT_PATH);
            args.add("--");
        }
        c.args().forEach(args::add);
        ArrayNode env = p.putArray("env");
        environment(c).forEach(env::add);
        p.put("cwd", c.cwd() == null || c.cwd().isEmpty() ? "/" : c.cwd());
        ObjectNode capsNode = p.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            ArrayNode a = capsNode.putArray(set);
            caps.forEach(a::add);
        }
        capsNode.putArray("inheritable");
        capsNode.putArray("ambient");
        p.set("rlimits", rlimits(c.ulimits()));
        p.put("noNewPrivileges", sec.noNewPrivileges());
        if (c.resources() != null && c.resources().oomScoreAdj() != null && c.resources().oomScoreAdj() != 0) {
            p.put("oomScoreAdj", c.resources().oomScoreAdj());
        }
        return p;
    }

    static ObjectNode user(UserResolver.ExecUser u) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("uid", u.uid());
        n.put("gid", u.gid());
        if (!u.additionalGids().isEmpty()) {
            ArrayNode g = n.putArray("additionalGids");
            u.additionalGids().forEach(g::add);
        }
        return n;
    }

    /** Docker's CreateDaemonEnvironment: PATH, HOSTNAME, TERM (tty), then the container's env replacing or appending. */
    static List<String> environment(RuntimeContainerSpec c) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "PATH=" + DEFAULT_PATH);
        if (c.hostname() != null && !c.hostname().isEmpty()) {
            env.put("HOSTNAME", "HOSTNAME=" + c.hostname());
        }
        if (c.tty()) {
            env.put("TERM", "TERM=xterm");
        }
        if (c.env() != null) {
            for (String e : c.env()) {
                int eq = e.indexOf('=');
                env.put(eq < 0 ? e : e.substring(0, eq), e);
            }
        }
        return List.copyOf(env.values());
    }

    private ArrayNode rlimits(List<RuntimeContainerSpec.Ulimit> ulimits) {
        Map<String, long[]> limits = new LinkedHashMap<>();
        for (ProcFs.Rlimit r : host.rlimits().values()) {
            limits.put(r.name(), new long[] {r.soft(), r.hard()});
        }
        if (ulimits != null) {
            for (RuntimeContainerSpec.Ulimit u : ulimits) {
                String name = "RLIMIT_" + u.name().toUpperCase(Locale.ROOT);
                ProcFs.Rlimit hostLimit = host.rlimits().get(name);
                if (hostLimit == null && !limits.containsKey(name)) {
                    throw BerthException.invalid("invalid ulimit type: %s", u.name());
                }
                if (u.soft() > u.hard() && u.hard() != -1) {
                    throw BerthException.invalid("ulimit soft limit must be less than or equal to hard limit: %d > %d", u.soft(), u.hard());
                }
                if (hostLimit != null && hostLimit.hard() != -1 && (u.hard() == -1 || Long.compareUnsigned(u.hard(), hostLimit.hard()) > 0)) {
                    // without CAP_SYS_RESOURCE the runtime's setrlimit would fail with EPERM
                    throw BerthException.invalid("ulimit %s: hard limit %s exceeds the host's limit %d (the daemon cannot raise hard limits)",
                            u.name(), u.hard() == -1 ? "unlimited" : Long.toString(u.hard()), hostLimit.hard());
                }
                limits.put(name, new long[] {u.soft(), u.hard()});
            }
        }
        ArrayNode a = Json.mapper().createArrayNode();
        limits.forEach((name, v) -> {
            ObjectNode r = a.addObject();
            r.put("type", name);
            r.put("hard", unsigned(v[1]));
            r.put("soft", unsigned(v[0]));
        });
        return a;
    }

    private static BigInteger unsigned(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }

    private ArrayNode mounts(RuntimeContainerSpec c, boolean privileged) {
        List<Mount> user = c.mounts() == null ? List.of() : c.mounts();
        Set<String> userDest = new java.util.HashSet<>();
        user.forEach(m -> userDest.add(clean(m.destination())));
        boolean userDev = userDest.contains("/dev");
        String shmSize = Long.toString(c.shmSizeBytes() > 0 ? c.shmSizeBytes() : 64L * 1024 * 1024);
        List<Mount> defaults = List.of(
                new Mount("proc", "proc", "/proc", List.of("nosuid", "noexec", "nodev")),
                new Mount("tmpfs", "tmpfs", "/dev", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new Mount("devpts", "devpts", "/dev/pts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                hasUserns(c)
                        // sysfs may only be mounted from a user namespace that owns the network namespace, and ours
                        // is made by the daemon before the container: bind the host's /sys read-only (runc 1.1 has no fallback)
                        ? new Mount("bind", "/sys", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro"))
                        : new Mount("sysfs", "sysfs", "/sys", privileged ? List.of("nosuid", "noexec", "nodev") : List.of("nosuid", "noexec", "nodev", "ro")),
                new Mount("cgroup", "cgroup", "/sys/fs/cgroup", privileged || hasUserns(c) ? List.of("nosuid", "noexec", "nodev") : List.of("ro", "nosuid", "noexec", "nodev")),
                new Mount("mqueue", "mqueue", "/dev/mqueue", List.of("nosuid", "noexec", "nodev")),
                new Mount("tmpfs", "shm", "/dev/shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=" + shmSize)));
        List<Mount> all = new ArrayList<>();
        for (Mount m : defaults) {
            if (userDest.contains(m.destination()) || (userDev && m.destination().startsWith("/dev/"))) {
                continue;
            }
            if (m.destination().equals("/dev/shm") && isShared(nsMode(c, "ipc"))) {
                continue; // the shared IPC namespace's owner provides /dev/shm through the daemon's mounts
            }
            all.add(m);
        }
        if (c.init()) {
            all.add(new Mount("bind", host.catatonit().orElseThrow().toString(), INIT_PATH, List.of("bind", "ro")));
        }
        // user mounts after the defaults, parents before children (Docker sorts by path depth)
        List<Mount> sortedUser = new ArrayList<>(user);
        sortedUser.sort(Comparator.comparingInt(m -> depth(m.destination())));
        all.addAll(sortedUser);
        ArrayNode a = Json.mapper().createArrayNode();
        for (Mount m : all) {
            ObjectNode n = a.addObject();
            n.put("destination", m.destination());
            n.put("type", m.type());
            n.put("source", m.source());
            ArrayNode o = n.putArray("options");
            m.options().forEach(o::add);
        }
        return a;
    }

    private static boolean isShared(String mode) {
        return mode != null && (mode.equals("host") || mode.startsWith("/"));
    }

    private static String clean(String p) {
        String s = java.nio.file.Path.of(p).normalize().toString();
        return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static int depth(String p) {
        return (int) clean(p).chars().filter(ch -> ch == '/').count();
    }

    /**
     * dockerd's rule: a shared bind mount needs a shared root (else its mounts could not propagate
     * out of the container), a slave one at least a slave root; null leaves the runtime's default.
     */
    static String rootfsPropagation(List<Mount> mounts) {
        boolean slave = false;
        for (Mount m : mounts == null ? List.<Mount>of() : mounts) {
            for (String o : m.options() == null ? List.<String>of() : m.options()) {
                if (o.equals("shared") || o.equals("rshared")) {
                    return "shared";
                }
                slave |= o.equals("slave") || o.equals("rslave");
            }
        }
        return slave ? "rslave" : null;
    }

    private static boolean hasUserns(RuntimeContainerSpec c) {
        return c.namespaces() != null && c.namespaces().uidMappings() != null && !c.namespaces().uidMappings().isEmpty();
    }

    private ObjectNode linux(RuntimeContainerSpec c, RuntimeContainerSpec.Security sec, List<String> caps) {
        boolean privileged = sec.privileged();
        ObjectNode l = Json.mapper().createObjectNode();
        if (hasUserns(c)) {
            l.set("uidMappings", idMappings(c.namespaces().uidMappings()));
            l.set("gidMappings", idMappings(c.namespaces().gidMappings()));
        }
        String rootPropagation = rootfsPropagation(c.mounts());
        if (rootPropagation != null) {
            l.put("rootfsPropagation", rootPropagation);
        }
        if (c.sysctls() != null && !c.sysctls().isEmpty()) {
            ObjectNode s = l.putObject("sysctl");
            new java.util.TreeMap<>(c.sysctls()).forEach(s::put);
        }
        List<DeviceNode> devices = new ArrayList<>();
        List<String[]> deviceRules = new ArrayList<>(); // {type, major, minor, access}
        if (privileged) {
            devices.addAll(host.hostDevices());
        }
        if (c.devices() != null) {
            for (RuntimeContainerSpec.Device d : c.devices()) {
                DeviceNode n;
                try {
                    n = host.devices().stat(d.pathOnHost());
                } catch (IOException e) {
                    throw BerthException.invalid("error gathering device information while adding custom device \"%s\": %s", d.pathOnHost(), e.getMessage());
                }
                String inContainer = d.pathInContainer() == null || d.pathInContainer().isEmpty() ? d.pathOnHost() : d.pathInContainer();
                devices.removeIf(x -> x.path().equals(inContainer));
                devices.add(new DeviceNode(inContainer, n.type(), n.major(), n.minor(), n.fileMode(), n.uid(), n.gid()));
                String perms = d.permissions() == null || d.permissions().isEmpty() ? "rwm" : d.permissions();
                if (!perms.matches("[rwm]{1,3}")) {
                    throw BerthException.invalid("invalid device mode: %s", perms);
                }
                deviceRules.add(new String[] {n.type(), Long.toString(n.major()), Long.toString(n.minor()), perms});
            }
        }
        if (!devices.isEmpty()) {
            ArrayNode dn = l.putArray("devices");
            for (DeviceNode d : devices) {
                ObjectNode o = dn.addObject();
                o.put("path", d.path());
                o.put("type", d.type());
                o.put("major", d.major());
                o.put("minor", d.minor());
                o.put("fileMode", d.fileMode());
                o.put("uid", d.uid());
                o.put("gid", d.gid());
            }
        }
        l.set("resources", resources(c.resources(), privileged, deviceRules));
        l.put("cgroupsPath", cgroupsPath(c));
        ArrayNode ns = l.putArray("namespaces");
        ns.addObject().put("type", "mount");
        if (c.netnsPath() != null && !c.netnsPath().isEmpty()) {
            ns.addObject().put("type", "network").put("path", c.netnsPath());
        }
        namespace(ns, "uts", nsMode(c, "uts"));
        namespace(ns, "pid", nsMode(c, "pid"));
        namespace(ns, "ipc", nsMode(c, "ipc"));
        String cg = nsMode(c, "cgroup");
        if (cg != null && !cg.equals("host")) {
            namespace(ns, "cgroup", cg);
        }
        if (hasUserns(c)) {
            ns.addObject().put("type", "user");
        }
        if (host.timeNamespace() && HostInfo.kernelAtLeast(host.kernelRelease(), 5, 6)) {
            ns.addObject().put("type", "time");
        }
        if (!privileged) {
            List<String> masked = sec.maskedPaths();
            if (masked == null) {
                masked = new ArrayList<>(DEFAULT_MASKED_PATHS);
                masked.addAll(host.thermalThrottlePaths());
            }
            if (!masked.isEmpty()) {
                ArrayNode m = l.putArray("maskedPaths");
                masked.forEach(m::add);
            }
            List<String> ro = sec.readonlyPaths() == null ? DEFAULT_READONLY_PATHS : sec.readonlyPaths();
            if (!ro.isEmpty()) {
                ArrayNode r = l.putArray("readonlyPaths");
                ro.forEach(r::add);
            }
            switch (sec.seccomp() == null ? RuntimeContainerSpec.SeccompMode.DEFAULT : sec.seccomp()) {
                case DEFAULT -> l.set("seccomp", seccomp.resolveDefault(caps, host));
                case CUSTOM -> l.set("seccomp", seccomp.resolveCustom(sec.seccompProfileJson(), caps, host));
                case UNCONFINED -> { }
            }
        } else if (sec.seccomp() == RuntimeContainerSpec.SeccompMode.CUSTOM) {
            l.set("seccomp", seccomp.resolveCustom(sec.seccompProfileJson(), caps, host));
        }
        return l;
    }

    /** {@code <cgroupParent>/<id>}, with {@code /berth} as the default parent. */
    public static String cgroupsPath(RuntimeContainerSpec c) {
        String parent = c.cgroupParent() == null || c.cgroupParent().isEmpty() ? "/berth" : c.cgroupParent();
        if (!parent.startsWith("/")) {
            parent = "/" + parent;
        }
        if (parent.endsWith("/")) {
            parent = parent.substring(0, parent.length() - 1);
        }
        return parent + "/" + c.id();
    }

    private static void namespace(ArrayNode ns, String type, String mode) {
        if (mode == null || mode.isEmpty() || mode.equals("private") || mode.equals("shareable")) {
            ns.addObject().put("type", type);
        } else if (mode.startsWith("/")) {
            ns.addObject().put("type", type).put("path", mode);
        } else if (!mode.equals("host")) {
            throw BerthException.invalid("invalid %s namespace mode: %s", type, mode);
        }
    }

    private static ArrayNode idMappings(List<RuntimeContainerSpec.IdMapping> maps) {
        ArrayNode a = Json.mapper().createArrayNode();
        if (maps != null) {
            for (RuntimeContainerSpec.IdMapping m : maps) {
                a.addObject().put("containerID", m.containerId()).put("hostID", m.hostId()).put("size", m.size());
            }
        }
        return a;
    }

    private ObjectNode resources(RuntimeContainerSpec.Resources r, boolean privileged, List<String[]> deviceRules) {
        ObjectNode res = Json.mapper().createObjectNode();
        ArrayNode dev = res.putArray("devices");
        if (privileged) {
            dev.addObject().put("allow", true).put("access", "rwm");
        } else {
            dev.addObject().put("allow", false).put("access", "rwm");
            for (long[] d : new long[][] {{1, 5}, {1, 3}, {1, 9}, {1, 8}, {5, 0}, {5, 1}}) {
                dev.addObject().put("allow", true).put("type", "c").put("major", d[0]).put("minor", d[1]).put("access", "rwm");
            }
            dev.addObject().put("allow", false).put("type", "c").put("major", 10L).put("minor", 229L).put("access", "rwm");
        }
        for (String[] d : deviceRules) {
            dev.addObject().put("allow", true).put("type", d[0]).put("major", Long.parseLong(d[1]))
                    .put("minor", Long.parseLong(d[2])).put("access", d[3]);
        }
        OciResources.apply(res, r, host);
        return res;
    }
}
