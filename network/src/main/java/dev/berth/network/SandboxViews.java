package dev.berth.network;

import dev.berth.network.NetworkRecords.EndpointRecord;
import dev.berth.network.NetworkRecords.NetworkRecord;
import dev.berth.network.NetworkRecords.SandboxRecord;
import dev.berth.network.NetworkService.Endpoint;
import dev.berth.network.NetworkService.IpamPool;
import dev.berth.network.NetworkService.NetworkInfo;
import dev.berth.network.NetworkService.PortBindingRequest;
import dev.berth.network.NetworkService.Sandbox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns persisted records into the seam's value types. Pure utility. */
final class SandboxViews {
    private SandboxViews() {}

    /**
     * Ports: every published container port with its bindings, and every exposed or requested
     * but unpublished one with an empty list (Docker shows those as {@code null}).
     */
    static Sandbox sandbox(SandboxRecord s) {
        Map<String, Endpoint> eps = new LinkedHashMap<>();
        for (EndpointRecord e : s.endpoints()) {
            eps.put(e.networkName(), endpoint(s, e));
        }
        Map<String, List<PortBindingRequest>> ports = new TreeMap<>();
        for (PortMapping m : s.ports()) {
            ports.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(new PortBindingRequest(m.hostIp(), Integer.toString(m.hostPort())));
        }
        for (String k : s.unpublished()) {
            ports.putIfAbsent(k, List.of());
        }
        return new Sandbox(s.containerId(), s.sandboxId(), s.netnsPath(), eps, ports, s.hostsFile(), s.resolvConf(), s.hostnameFile());
    }

    /** An endpoint with its DNSNames (only on user-defined networks with addresses, as Docker). */
    static Endpoint endpoint(SandboxRecord s, EndpointRecord e) {
        List<String> dnsNames = e.ip() != null && !BridgeNetworks.BRIDGE.equals(e.networkName()) ? PeerResolver.dnsNames(s, e) : List.of();
        return new Endpoint(e.networkId(), e.networkName(), e.endpointId(),
                e.ip() == null ? "" : e.ip(), e.ip() == null ? 0 : e.prefixLen(), e.gateway() == null ? "" : e.gateway(),
                e.ip6() == null ? "" : e.ip6(), e.ip6() == null ? 0 : e.prefixLen6(), e.gateway6() == null ? "" : e.gateway6(),
                e.mac() == null ? "" : e.mac(), e.aliases(), dnsNames);
    }

    static NetworkInfo info(NetworkRecord n, List<SandboxRecord> sandboxes) {
        Map<String, Endpoint> byContainer = new TreeMap<>();
        for (SandboxRecord s : sandboxes) {
            for (EndpointRecord e : s.endpoints()) {
                if (e.networkId().equals(n.id())) {
                    byContainer.put(s.containerId(), endpoint(s, e));
                }
            }
        }
        List<IpamPool> pools = new ArrayList<>();
        if (n.subnet() != null) {
            pools.add(new IpamPool(n.subnet(), n.ipRange(), n.gateway()));
        }
        if (n.subnet6() != null) {
            pools.add(new IpamPool(n.subnet6(), null, n.gateway6()));
        }
        return new NetworkInfo(n.id(), n.name(), n.driver(), "local", n.created(), n.internal(), n.attachable(), n.enableIpv6(),
                pools, n.options(), n.labels(), byContainer);
    }
}
