package dev.berth.daemon.container;

import dev.berth.api.model.HostConfig;
import dev.berth.api.model.NetworkingConfig;
import dev.berth.network.NetworkService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the {@link NetworkService.SandboxRequest} of a container start. Pure. */
final class SandboxRequests {
    private SandboxRequests() {}

    static String networkMode(HostConfig hc) {
        String m = hc.networkMode();
        return m == null || m.isEmpty() || m.equals("default") ? "bridge" : m;
    }

    static NetworkService.SandboxRequest build(ContainerRecord r, List<String> daemonDns, String joinNetnsPath) {
        return build(r, daemonDns, joinNetnsPath, List.of());
    }

    /** As above, with extra {@code host:ip} entries appended to the container's ExtraHosts (legacy links). */
    static NetworkService.SandboxRequest build(ContainerRecord r, List<String> daemonDns, String joinNetnsPath, List<String> moreHosts) {
        HostConfig hc = r.hostConfig;
        Map<String, List<NetworkService.PortBindingRequest>> ports = new LinkedHashMap<>();
        if (hc.portBindings() != null) {
            for (var e : hc.portBindings().entrySet()) {
                List<NetworkService.PortBindingRequest> l = new ArrayList<>();
                if (e.getValue() != null) {
                    for (HostConfig.PortBinding b : e.getValue()) {
                        l.add(new NetworkService.PortBindingRequest(b.hostIp() == null ? "" : b.hostIp(), b.hostPort() == null ? "" : b.hostPort()));
                    }
                }
                ports.put(ConfigMerger.normalizePort(e.getKey()), l);
            }
        }
        Map<String, NetworkService.EndpointRequest> endpoints = new LinkedHashMap<>();
        if (r.networkingConfig != null && r.networkingConfig.endpointsConfig() != null) {
            for (var e : r.networkingConfig.endpointsConfig().entrySet()) {
                NetworkingConfig.EndpointSettings s = e.getValue();
                String v4 = s != null && s.ipamConfig() != null ? s.ipamConfig().ipv4Address() : null;
                String v6 = s != null && s.ipamConfig() != null ? s.ipamConfig().ipv6Address() : null;
                endpoints.put(e.getKey(), new NetworkService.EndpointRequest(v4, v6,
                        s == null || s.aliases() == null ? List.of() : s.aliases(), s == null ? null : s.macAddress(),
                        s == null || s.driverOpts() == null ? Map.of() : s.driverOpts()));
            }
        }
        List<String> exposed = r.config.exposedPorts() == null ? List.of() : List.copyOf(r.config.exposedPorts().keySet());
        List<String> dns = hc.dns() != null && !hc.dns().isEmpty() ? hc.dns() : (daemonDns == null ? List.of() : daemonDns);
        return new NetworkService.SandboxRequest(
                r.id, r.shortName(), networkMode(hc), r.config.hostname(), r.config.domainname(), ports, hc.publishAllPorts(),
                exposed, endpoints, dns, nn(hc.dnsSearch()), nn(hc.dnsOptions()), concat(nn(hc.extraHosts()), moreHosts), joinNetnsPath);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        if (b == null || b.isEmpty()) {
            return a;
        }
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static List<String> nn(List<String> l) {
        return l == null ? List.of() : l;
    }

    /** /etc/hosts content when the network layer gave none (none mode). */
    static String defaultHosts(String hostname) {
        return "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\n"
                + "ff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";
    }
}
