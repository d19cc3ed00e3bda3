package dev.berth.compose.engine;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.compose.loader.Project;
import dev.berth.compose.loader.Values;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates one service of a loaded project into the body of {@code POST /containers/create}
 * (Config + HostConfig + NetworkingConfig), including Compose's labels. Only the first network is
 * joined at create (the API takes one); the others are connected afterwards by the caller via
 * {@link #extraNetworks}. Pure function of its inputs.
 */
public final class ContainerBody {
    private ContainerBody() {}

    public static Map<String, Object> build(Project p, String service, int number, boolean oneOff, String hash,
                                            Map<String, Object> s, SecretFiles secrets) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("Image", image(p, service, s));
        putIf(b, "Cmd", s.get("command"));
        putIf(b, "Entrypoint", s.get("entrypoint"));
        List<String> env = new ArrayList<>();
        Values.map(s, "environment").forEach((k, v) -> env.add(v == null ? k : k + "=" + v));
        b.put("Env", env);
        Map<String, Object> labels = new LinkedHashMap<>(Values.map(s, "labels"));
        labels.put(Labels.PROJECT, p.name());
        labels.put(Labels.SERVICE, service);
        labels.put(Labels.NUMBER, Integer.toString(number));
        labels.put(Labels.ONEOFF, oneOff ? "True" : "False");
        labels.put(Labels.CONFIG_HASH, hash);
        labels.put(Labels.WORKING_DIR, p.workingDir().toString());
        labels.put(Labels.CONFIG_FILES, String.join(",", p.configFiles().stream().map(Path::toString).toList()));
        labels.put(Labels.VERSION, Labels.COMPOSE_VERSION);
        labels.put(Labels.IMAGE, Values.str(b.get("Image")));
        List<String> deps = new ArrayList<>();
        Values.map(s, "depends_on").forEach((k, v) -> deps.add(k + ":" + Values.str(Values.map(s, "depends_on") == null ? null
                : ((Map<?, ?>) v).get("condition")) + ":" + Values.bool(((Map<?, ?>) v).get("restart"))));
        labels.put(Labels.DEPENDS_ON, String.join(",", deps));
        b.put("Labels", labels);
        putIf(b, "WorkingDir", s.get("working_dir"));
        putIf(b, "User", s.get("user"));
        putIf(b, "Hostname", s.get("hostname"));
        putIf(b, "Domainname", s.get("domainname"));
        putIf(b, "MacAddress", s.get("mac_address"));
        putIf(b, "StopSignal", s.get("stop_signal"));
        if (s.get("stop_grace_period") != null) {
            b.put("StopTimeout", Units.durationNanos(s.get("stop_grace_period")) / 1_000_000_000L);
        }
        b.put("Tty", Values.bool(s.get("tty")));
        b.put("OpenStdin", Values.bool(s.get("stdin_open")));
        Map<String, Object> exposed = new LinkedHashMap<>();
        for (Object e : Values.list(s, "expose")) {
            String x = Values.str(e);
            exposed.put(x.contains("/") ? x : x + "/tcp", Map.of());
        }
        Map<String, Object> portBindings = new LinkedHashMap<>();
        for (Object o : Values.list(s, "ports")) {
            Map<?, ?> port = (Map<?, ?>) o;
            String key = Values.str(port.get("target")) + "/" + Values.str(port.get("protocol") == null ? "tcp" : port.get("protocol"));
            exposed.put(key, Map.of());
            Map<String, Object> binding = new LinkedHashMap<>();
            binding.put("HostIp", port.get("host_ip") == null ? "" : Values.str(port.get("host_ip")));
            binding.put("HostPort", port.get("published") == null ? "" : Values.str(port.get("published")));
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) portBindings.computeIfAbsent(key, k -> new ArrayList<>());
            list.add(binding);
        }
        if (!exposed.isEmpty()) {
            b.put("ExposedPorts", exposed);
        }
        healthcheck(b, Values.map(s, "healthcheck"));
        Map<String, Object> hc = new LinkedHashMap<>();
        hc.put("PortBindings", portBindings);
        hc.put("Mounts", mounts(p, s, secrets, service));
        hc.put("RestartPolicy", restart(s));
        putIf(hc, "Privileged", s.get("privileged"));
        putIf(hc, "CapAdd", s.get("cap_add"));
        putIf(hc, "CapDrop", s.get("cap_drop"));
        putIf(hc, "Dns", s.get("dns"));
        putIf(hc, "DnsSearch", s.get("dns_search"));
        putIf(hc, "DnsOptions", s.get("dns_opt"));
        List<String> hosts = new ArrayList<>();
        Values.list(s, "extra_hosts").forEach(x -> hosts.add(Values.str(x).replaceFirst("=", ":")));
        if (!hosts.isEmpty()) {
            hc.put("ExtraHosts", hosts);
        }
        putIf(hc, "ReadonlyRootfs", s.get("read_only"));
        putIf(hc, "Init", s.get("init"));
        putIf(hc, "SecurityOpt", s.get("security_opt"));
        putIf(hc, "Sysctls", s.get("sysctls"));
        putIf(hc, "GroupAdd", s.get("group_add"));
        putIf(hc, "IpcMode", s.get("ipc") == null ? null : serviceRef(p, Values.str(s.get("ipc"))));
        putIf(hc, "PidMode", s.get("pid") == null ? null : serviceRef(p, Values.str(s.get("pid"))));
        List<String> volumesFrom = new ArrayList<>();
        for (Object v : Values.list(s, "volumes_from")) {
            String x = Values.str(v);
            if (x.startsWith("container:")) {
                volumesFrom.add(x.substring("container:".length()));
            } else {
                int colon = x.indexOf(':');
                String svc = colon < 0 ? x : x.substring(0, colon);
                volumesFrom.add(Naming.container(p.name(), svc, 1, Values.map(p.services(), svc)) + (colon < 0 ? "" : x.substring(colon)));
            }
        }
        if (!volumesFrom.isEmpty()) {
            hc.put("VolumesFrom", volumesFrom);
        }
        putIf(hc, "Runtime", s.get("runtime"));
        putIf(hc, "UsernsMode", s.get("userns_mode"));
        putIf(hc, "CgroupParent", s.get("cgroup_parent"));
        putIf(hc, "Annotations", s.get("annotations"));
        putIf(hc, "Isolation", s.get("isolation"));
        putIf(hc, "OomScoreAdj", s.get("oom_score_adj"));
        if (s.get("shm_size") != null) {
            hc.put("ShmSize", Units.bytes(s.get("shm_size")));
        }
        Map<String, Object> tmpfs = new LinkedHashMap<>();
        Values.list(s, "tmpfs").forEach(t -> {
            String x = Values.str(t);
            int c = x.indexOf(':');
            tmpfs.put(c < 0 ? x : x.substring(0, c), c < 0 ? "" : x.substring(c + 1));
        });
        if (!tmpfs.isEmpty()) {
            hc.put("Tmpfs", tmpfs);
        }
        List<Object> devices = new ArrayList<>();
        for (Object d : Values.list(s, "devices")) {
            String[] parts = Values.str(d).split(":");
            devices.add(Map.of("PathOnHost", parts[0], "PathInContainer", parts.length > 1 ? parts[1] : parts[0],
                    "CgroupPermissions", parts.length > 2 ? parts[2] : "rwm"));
        }
        if (!devices.isEmpty()) {
            hc.put("Devices", devices);
        }
        List<Object> ulimits = new ArrayList<>();
        Values.map(s, "ulimits").forEach((k, v) -> {
            Map<?, ?> m = (Map<?, ?>) v;
            ulimits.add(Map.of("Name", k, "Soft", m.get("soft"), "Hard", m.get("hard")));
        });
        if (!ulimits.isEmpty()) {
            hc.put("Ulimits", ulimits);
        }
        Resources.apply(s, hc);
        Map<String, Object> logging = Values.map(s, "logging");
        if (!logging.isEmpty()) {
            hc.put("LogConfig", Map.of("Type", Values.str(logging.getOrDefault("driver", "json-file")),
                    "Config", Values.map(logging, "options")));
        }
        Map<String, Object> networking = new LinkedHashMap<>();
        if (s.get("network_mode") != null) {
            String mode = Values.str(s.get("network_mode"));
            hc.put("NetworkMode", serviceRef(p, mode));
        } else {
            List<String> nets = new ArrayList<>(Values.map(s, "networks").keySet());
            if (!nets.isEmpty()) {
                String first = nets.getFirst();
                String netName = networkName(p, first);
                hc.put("NetworkMode", netName);
                networking.put("EndpointsConfig", Map.of(netName, endpoint(s, service, first, oneOff)));
            }
        }
        b.put("HostConfig", hc);
        if (!networking.isEmpty()) {
            b.put("NetworkingConfig", networking);
        }
        return b;
    }

    /** "service:x" (network_mode, ipc, pid) → "container:<x's first container>"; other values unchanged. */
    static String serviceRef(Project p, String mode) {
        if (!mode.startsWith("service:")) {
            return mode;
        }
        String svc = mode.substring("service:".length());
        return "container:" + Naming.container(p.name(), svc, 1, Values.map(p.services(), svc));
    }

    /** Services a service needs running first: depends_on plus network_mode/ipc/pid "service:" and volumes_from. */
    public static List<String> implicitDependencies(Map<String, Object> s) {
        List<String> out = new ArrayList<>(Values.map(s, "depends_on").keySet());
        for (String k : List.of("network_mode", "ipc", "pid")) {
            String v = Values.str(s.get(k));
            if (v != null && v.startsWith("service:") && !out.contains(v.substring(8))) {
                out.add(v.substring(8));
            }
        }
        for (Object v : Values.list(s, "volumes_from")) {
            String x = Values.str(v);
            if (!x.startsWith("container:")) {
                String svc = x.contains(":") ? x.substring(0, x.indexOf(':')) : x;
                if (!out.contains(svc)) {
                    out.add(svc);
                }
            }
        }
        return out;
    }

    /** The networks beyond the first (engine name → endpoint config) to connect after create. */
    public static Map<String, Map<String, Object>> extraNetworks(Project p, String service, Map<String, Object> s, boolean oneOff) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        if (s.get("network_mode") != null) {
            return out;
        }
        List<String> nets = new ArrayList<>(Values.map(s, "networks").keySet());
        for (int i = 1; i < nets.size(); i++) {
            out.put(networkName(p, nets.get(i)), endpoint(s, service, nets.get(i), oneOff));
        }
        return out;
    }

    static String networkName(Project p, String key) {
        Map<String, Object> def = Values.map(p.networks(), key);
        return def.get("name") != null ? Values.str(def.get("name")) : Naming.resource(p.name(), key);
    }

    private static Map<String, Object> endpoint(Map<String, Object> s, String service, String netKey, boolean oneOff) {
        Map<String, Object> e = new LinkedHashMap<>();
        List<String> aliases = new ArrayList<>();
        if (!oneOff) {
            aliases.add(service);
        }
        Map<String, Object> cfg = Values.map(Values.map(s, "networks"), netKey);
        Values.list(cfg, "aliases").forEach(a -> aliases.add(Values.str(a)));
        e.put("Aliases", aliases);
        if (cfg.get("ipv4_address") != null || cfg.get("ipv6_address") != null) {
            Map<String, Object> ipam = new LinkedHashMap<>();
            putIf(ipam, "IPv4Address", cfg.get("ipv4_address"));
            putIf(ipam, "IPv6Address", cfg.get("ipv6_address"));
            e.put("IPAMConfig", ipam);
        }
        return e;
    }

    public static String image(Project p, String service, Map<String, Object> s) {
        Object img = s.get("image");
        if (img != null) {
            return Values.str(img);
        }
        if (s.get("build") != null) {
            return Naming.builtImage(p.name(), service);
        }
        throw new BerthException(ErrorKind.INVALID_ARGUMENT, "service \"" + service + "\" has neither an image nor a build context specified: invalid compose project");
    }

    private static List<Object> mounts(Project p, Map<String, Object> s, SecretFiles secrets, String service) {
        List<Object> out = new ArrayList<>();
        for (Object o : Values.list(s, "volumes")) {
            Map<?, ?> v = (Map<?, ?>) o;
            String type = Values.str(v.get("type"));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Type", type);
            String src = Values.str(v.get("source"));
            if ("volume".equals(type) && src != null) {
                Map<String, Object> def = Values.map(p.volumes(), src);
                src = def.get("name") != null ? Values.str(def.get("name")) : Naming.resource(p.name(), src);
            }
            putIf(m, "Source", src);
            m.put("Target", Values.str(v.get("target")));
            m.put("ReadOnly", Values.bool(v.get("read_only")));
            if ("bind".equals(type)) {
                Map<?, ?> bind = v.get("bind") instanceof Map<?, ?> bm ? bm : Map.of();
                Map<String, Object> bo = new LinkedHashMap<>();
                putIf(bo, "Propagation", bind.get("propagation"));
                if (Values.bool(bind.get("create_host_path")) && src != null) {
                    SecretFiles.ensureDir(Path.of(src));
                }
                if (!bo.isEmpty()) {
                    m.put("BindOptions", bo);
                }
            } else if ("volume".equals(type) && v.get("volume") instanceof Map<?, ?> vo && vo.get("nocopy") != null) {
                m.put("VolumeOptions", Map.of("NoCopy", Values.bool(vo.get("nocopy"))));
            } else if ("tmpfs".equals(type) && v.get("tmpfs") instanceof Map<?, ?> to && to.get("size") != null) {
                m.put("TmpfsOptions", Map.of("SizeBytes", Units.bytes(to.get("size"))));
            }
            out.add(m);
        }
        out.addAll(secrets.mounts(p, service, s));
        return out;
    }

    private static Map<String, Object> restart(Map<String, Object> s) {
        String r = Values.str(s.get("restart"));
        Map<String, Object> deployRestart = Values.map(Values.map(s, "deploy"), "restart_policy");
        if (r == null && !deployRestart.isEmpty()) {
            String cond = Values.str(deployRestart.getOrDefault("condition", "any"));
            r = switch (cond) {
                case "none" -> "no";
                case "on-failure" -> "on-failure";
                default -> "always";
            };
            if (deployRestart.get("max_attempts") != null && r.equals("on-failure")) {
                r = r + ":" + Values.str(deployRestart.get("max_attempts"));
            }
        }
        if (r == null || r.equals("no")) {
            return Map.of("Name", "no");
        }
        int colon = r.indexOf(':');
        if (colon > 0) {
            return Map.of("Name", r.substring(0, colon), "MaximumRetryCount", Integer.parseInt(r.substring(colon + 1)));
        }
        return Map.of("Name", r);
    }

    private static void healthcheck(Map<String, Object> b, Map<String, Object> h) {
        if (h.isEmpty()) {
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (Values.bool(h.get("disable"))) {
            out.put("Test", List.of("NONE"));
        } else {
            putIf(out, "Test", h.get("test"));
        }
        for (String[] k : new String[][] {{"interval", "Interval"}, {"timeout", "Timeout"}, {"start_period", "StartPeriod"},
                {"start_interval", "StartInterval"}}) {
            if (h.get(k[0]) != null) {
                out.put(k[1], Units.durationNanos(h.get(k[0])));
            }
        }
        if (h.get("retries") != null) {
            out.put("Retries", Long.parseLong(Values.str(h.get("retries"))));
        }
        b.put("Healthcheck", out);
    }

    static void putIf(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
