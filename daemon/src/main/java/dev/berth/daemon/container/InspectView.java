package dev.berth.daemon.container;

import dev.berth.api.model.ContainerInspect;
import dev.berth.api.model.ContainerState;
import dev.berth.api.model.ContainerSummary;
import dev.berth.api.model.HostConfig;
import dev.berth.api.model.MountPoint;
import dev.berth.api.model.NetworkSettings;
import dev.berth.api.model.NetworkingConfig;
import dev.berth.network.NetworkService;
import dev.berth.oci.Mount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Renders containers as {@code ContainerInspect} and {@code ContainerSummary}. Reads only; callers pass a consistent record. */
final class InspectView {
    private final Engine e;

    InspectView(Engine e) {
        this.e = e;
    }

    ContainerInspect inspect(ContainerRecord r, boolean withSize, List<String> execIds) {
        var s = r.state;
        ContainerState.Health health = s.health == null ? null
                : new ContainerState.Health(s.health.status, s.health.failingStreak, List.copyOf(s.health.log));
        ContainerState state = new ContainerState(StatusText.state(s), s.running, s.paused, s.restarting, s.oomKilled, s.dead,
                s.pid, s.exitCode, s.error, s.startedAt, s.finishedAt, health);
        Long sizeRw = null;
        Long sizeRoot = null;
        if (withSize) {
            sizeRw = safeSize(r.id);
            sizeRoot = sizeRw + e.images.find(r.imageId).map(i -> i.size()).orElse(0L);
        }
        return new ContainerInspect(r.id, r.created, r.path, r.args, state, r.imageId,
                r.resolvConfPath == null ? "" : r.resolvConfPath, r.hostnamePath == null ? "" : r.hostnamePath,
                r.hostsPath == null ? "" : r.hostsPath, logPath(r), r.name, r.restartCount, "overlay2", r.platform, "", "", "",
                execIds, r.hostConfig, graphDriver(r), sizeRw, sizeRoot, mountPoints(r), r.config, networkSettings(r));
    }

    /** dockerd shows the log file only for json-file; local's files and none have no LogPath. */
    private static String logPath(ContainerRecord r) {
        var lc = r.hostConfig == null ? null : r.hostConfig.logConfig();
        boolean jsonFile = lc == null || lc.type() == null || lc.type().isEmpty() || lc.type().equals("json-file");
        return jsonFile && r.logPath != null ? r.logPath : "";
    }

    private long safeSize(String id) {
        try {
            return e.images.containerLayerSize(id);
        } catch (RuntimeException ex) {
            return 0;
        }
    }

    private ContainerInspect.GraphDriver graphDriver(ContainerRecord r) {
        Map<String, String> data = new LinkedHashMap<>();
        try {
            for (Mount m : e.images.containerLayerMounts(r.id)) {
                for (String o : m.options()) {
                    if (o.startsWith("lowerdir=")) {
                        data.put("LowerDir", o.substring(9));
                    } else if (o.startsWith("upperdir=")) {
                        data.put("UpperDir", o.substring(9));
                    } else if (o.startsWith("workdir=")) {
                        data.put("WorkDir", o.substring(8));
                    }
                }
            }
        } catch (RuntimeException ex) {
            // layer gone (removal in progress)
        }
        data.put("MergedDir", e.bundleDir(r.id).resolve("rootfs").toString());
        return new ContainerInspect.GraphDriver("overlay2", data);
    }

    List<MountPoint> mountPoints(ContainerRecord r) {
        List<MountPoint> out = new ArrayList<>();
        for (PlannedMount m : r.mounts) {
            switch (m.type()) {
                case "volume" -> {
                    String src = e.volumes.find(m.source()).map(v -> v.mountpoint().toString()).orElse("");
                    out.add(new MountPoint("volume", m.source(), src, m.destination(), m.driver() == null ? "local" : m.driver(),
                            m.mode(), m.rw(), ""));
                }
                case "bind" -> out.add(new MountPoint("bind", null, m.source(), m.destination(), null, m.mode(), m.rw(), m.propagation()));
                case "tmpfs" -> out.add(new MountPoint("tmpfs", null, "", m.destination(), null, "", m.rw(), ""));
                default -> { }
            }
        }
        return out;
    }

    NetworkSettings networkSettings(ContainerRecord r) {
        return networkSettings(r, this::networkId);
    }

    /** The id of network {@code name}, "" if it is gone. */
    String networkId(String name) {
        try {
            return e.network.network(name).id();
        } catch (RuntimeException ex) {
            return ""; // network removed meanwhile
        }
    }

    /**
     * @param netIds network name to id; list passes a per-request memo (a lookup reads the
     *     network store from disk, and 500 stopped containers mostly share one network)
     */
    NetworkSettings networkSettings(ContainerRecord r, java.util.function.Function<String, String> netIds) {
        Optional<NetworkService.Sandbox> sb = r.state.running ? sandbox(r.id) : Optional.empty();
        Map<String, NetworkingConfig.EndpointSettings> nets = new LinkedHashMap<>();
        Map<String, List<HostConfig.PortBinding>> ports = new LinkedHashMap<>();
        if (sb.isPresent()) {
            for (var ep : sb.get().endpoints().entrySet()) {
                nets.put(ep.getKey(), endpoint(ep.getValue()));
            }
            if (r.config.exposedPorts() != null) {
                r.config.exposedPorts().keySet().forEach(p -> ports.put(p, null));
            }
            if (sb.get().ports() != null) {
                sb.get().ports().forEach((p, l) -> ports.put(p, l == null || l.isEmpty() ? null
                        : l.stream().map(b -> new HostConfig.PortBinding(b.hostIp(), b.hostPort())).toList()));
            }
            return new NetworkSettings(sb.get().sandboxId(), sb.get().netnsPath() == null ? "" : sb.get().netnsPath(), ports, nets);
        }
        String mode = SandboxRequests.networkMode(r.hostConfig);
        if (!mode.startsWith("container:")) {
            List<String> names = new ArrayList<>();
            if (r.networkingConfig != null && r.networkingConfig.endpointsConfig() != null) {
                names.addAll(r.networkingConfig.endpointsConfig().keySet());
            }
            if (names.isEmpty()) {
                names.add(mode);
            }
            for (String n : names) {
                String netId = netIds.apply(n);
                nets.put(n, new NetworkingConfig.EndpointSettings(null, null, "", null, null, null, netId, "", "", "", 0, "", "", 0, null));
            }
        }
        return new NetworkSettings("", "", ports, nets);
    }

    private Optional<NetworkService.Sandbox> sandbox(String id) {
        try {
            return e.network.sandbox(id);
        } catch (RuntimeException ex) {
            return Optional.empty();
        }
    }

    static NetworkingConfig.EndpointSettings endpoint(NetworkService.Endpoint ep) {
        return new NetworkingConfig.EndpointSettings(null, null, ep.macAddress(), ep.aliases(), null, 0, ep.networkId(), ep.endpointId(),
                nz(ep.gateway()), nz(ep.ipv4Address()), ep.ipv4PrefixLen(), nz(ep.ipv6Gateway()), nz(ep.ipv6Address()), ep.ipv6PrefixLen(),
                ep.dnsNames());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    List<ContainerSummary.Port> ports(ContainerRecord r) {
        List<ContainerSummary.Port> out = new ArrayList<>();
        java.util.Set<String> bound = new java.util.HashSet<>();
        if (r.state.running) {
            sandbox(r.id).ifPresent(sb -> {
                if (sb.ports() != null) {
                    sb.ports().forEach((p, l) -> {
                        int slash = p.indexOf('/');
                        int priv = Integer.parseInt(p.substring(0, slash));
                        String proto = p.substring(slash + 1);
                        for (var b : l) {
                            bound.add(p);
                            Integer pub = b.hostPort() == null || b.hostPort().isEmpty() ? null : Integer.parseInt(b.hostPort());
                            out.add(new ContainerSummary.Port(b.hostIp() == null || b.hostIp().isEmpty() ? "0.0.0.0" : b.hostIp(), priv, pub, proto));
                        }
                    });
                }
            });
        }
        if (r.config.exposedPorts() != null) {
            for (String p : r.config.exposedPorts().keySet()) {
                if (!bound.contains(p)) {
                    int slash = p.indexOf('/');
                    out.add(new ContainerSummary.Port(null, Integer.parseInt(p.substring(0, slash)), null, p.substring(slash + 1)));
                }
            }
        }
        return out;
    }

    ContainerSummary summary(ContainerRecord r, boolean withSize, java.time.Instant now) {
        return summary(r, withSize, now, networkSettings(r));
    }

    /** {@link #summary(ContainerRecord, boolean, java.time.Instant)} with the network settings already computed. */
    ContainerSummary summary(ContainerRecord r, boolean withSize, java.time.Instant now, NetworkSettings ns) {
        Long sizeRw = withSize ? safeSize(r.id) : null;
        Long sizeRoot = withSize ? sizeRw + e.images.find(r.imageId).map(i -> i.size()).orElse(0L) : null;
        java.time.Instant created = Times.parse(r.created);
        return new ContainerSummary(r.id, List.of(r.name), r.config.image(), r.imageId, StatusText.command(r.path, r.args),
                created == null ? 0 : created.getEpochSecond(), ports(r), sizeRw, sizeRoot,
                r.config.labels() == null ? Map.of() : r.config.labels(), StatusText.state(r.state), StatusText.status(r.state, now),
                new ContainerSummary.SummaryHostConfig(SandboxRequests.networkMode(r.hostConfig)),
                new ContainerSummary.SummaryNetworkSettings(ns.networks()), mountPoints(r));
    }
}
