package dev.berth.network;

import dev.berth.common.BerthException;
import dev.berth.common.Ids;
import dev.berth.network.NetworkRecords.EndpointRecord;
import dev.berth.network.NetworkRecords.NetworkRecord;
import dev.berth.network.NetworkService.EndpointRequest;
import dev.berth.sys.net.LinkOp;
import dev.berth.sys.net.NetKernel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Endpoints of sandboxes on driver networks, in two steps so the service can record an endpoint
 * before touching the kernel: {@link #plan} allocates the addresses (IPv4, and IPv6 on
 * {@code --ipv6} networks) and names the host link, {@link #install} has the network's
 * {@link NetworkDriver} create the interface; {@link #uninstall} undoes both. Published ports
 * (NAT rules) are installed only for drivers that publish ports. Not thread-safe: the service
 * serialises access.
 */
final class Endpoints {
    private final Ipam ipam;
    private final Ipam6 ipam6;
    private final NetKernel kernel;
    private final BridgeRules rules;
    private final BridgeNetworks networks;
    private final SecureRandom random;

    Endpoints(Ipam ipam, Ipam6 ipam6, NetKernel kernel, BridgeRules rules, BridgeNetworks networks, SecureRandom random) {
        this.ipam = ipam;
        this.ipam6 = ipam6;
        this.kernel = kernel;
        this.rules = rules;
        this.networks = networks;
        this.random = random;
    }

    /** Allocates the addresses (persisted) of a new endpoint; nothing in the kernel yet. On failure nothing stays allocated. */
    EndpointRecord plan(String containerId, NetworkRecord n, EndpointRequest req, String ifName) {
        String wantIp = req == null ? null : req.ipv4Address();
        String wantIp6 = req == null ? null : req.ipv6Address();
        boolean user4 = wantIp != null && !wantIp.isEmpty();
        boolean user6 = wantIp6 != null && !wantIp6.isEmpty();
        if ((user4 || user6) && BridgeNetworks.BRIDGE.equals(n.name())) {
            throw BerthException.invalid("user specified IP address is supported on user defined networks only");
        }
        if (user6 && n.subnet6() == null) {
            throw BerthException.invalid("invalid endpoint settings: ipv6 address %s requested on network %s, which has no IPv6 (create it with --ipv6)", wantIp6, n.name());
        }
        if (user4 && !Ipv4.isIpv4(wantIp)) {
            throw BerthException.invalid("invalid IPv4 address: %s", wantIp);
        }
        String ip = ipam.allocate(n.id(), containerId, wantIp);
        String ip6 = null;
        if (n.subnet6() != null) {
            try {
                ip6 = ipam6.allocate(n.id(), containerId, wantIp6);
            } catch (RuntimeException e) {
                ipam.release(n.id(), ip);
                throw e;
            }
        }
        int prefix = Ipv4.Cidr.parse(n.subnet()).prefix();
        String mac = req != null && req.macAddress() != null && !req.macAddress().isEmpty() ? req.macAddress() : Ipv4.macFor(ip);
        List<String> aliases = req == null || req.aliases() == null ? List.of() : List.copyOf(req.aliases());
        // Internal networks have no way out, so no default route through them (as Docker).
        String gateway = n.internal() ? null : n.gateway();
        String gateway6 = n.internal() || ip6 == null ? null : n.gateway6();
        int prefix6 = ip6 == null ? 0 : Ipv6.Cidr.parse(n.subnet6()).prefix();
        return new EndpointRecord(n.id(), n.name(), Ids.newId(), ifName, newVethName(), ip, prefix, gateway, mac, aliases, ip6, prefix6, gateway6);
    }

    static NetworkDriver.DriverEndpoint view(EndpointRecord ep) {
        return new NetworkDriver.DriverEndpoint(ep.endpointId(), ep.ifName(), ep.vethHost(),
                ep.ip() + "/" + ep.prefixLen(), ep.gateway(), ep.ip6() == null ? null : ep.ip6() + "/" + ep.prefixLen6(), ep.gateway6(), ep.mac());
    }

    /** Has the driver create the interface, addresses and (if asked) default routes of a planned endpoint. */
    void install(Path netns, NetworkRecord n, EndpointRecord ep, boolean defaultRoute) {
        networks.driver(n).join(netns, networks.view(n), view(ep), defaultRoute);
    }

    /** Makes {@code ep} the interface of the default routes (after the previous one left). */
    void routeVia(Path netns, EndpointRecord ep) {
        if (ep.gateway() != null) {
            kernel.links().apply(new LinkOp.AddRoute(netns, "default", ep.gateway(), ep.ifName()));
        }
        if (ep.gateway6() != null) {
            kernel.links().apply(new LinkOp.AddRoute(netns, "default", ep.gateway6(), ep.ifName()));
        }
    }

    /** Removes the interface (driver) and releases the addresses. Both are idempotent. */
    void uninstall(Path netns, EndpointRecord ep) {
        if (ep.ifName() == null) {
            return; // the placeholder endpoint of host/none sandboxes: no interface, no address
        }
        networkOf(ep).ifPresentOrElse(n -> networks.driver(n).leave(netns, networks.view(n), view(ep)), () -> {
            // The network record is gone (crash during removal): a leftover veth is all there can be.
            if (ep.vethHost() != null) {
                kernel.links().applyAll(LinkPlans.detach(ep.vethHost()));
            }
        });
        if (ep.ip() != null) {
            ipam.release(ep.networkId(), ep.ip());
        }
        if (ep.ip6() != null) {
            ipam6.release(ep.networkId(), ep.ip6());
        }
    }

    private java.util.Optional<NetworkRecord> networkOf(EndpointRecord ep) {
        return networks.all().stream().filter(n -> n.id().equals(ep.networkId())).findFirst();
    }

    /** Installs the NAT rules of published ports: IPv4 mappings to the IPv4 address, IPv6 ones ("::") to the IPv6 address. */
    void applyPorts(String containerId, NetworkRecord n, EndpointRecord ep, List<PortMapping> ports) {
        if (ports.isEmpty() || !networks.driver(n).publishesPorts()) {
            return;
        }
        List<PortMapping> v4 = ports.stream().filter(p -> !p.hostIp().contains(":")).toList();
        List<PortMapping> v6 = ports.stream().filter(p -> p.hostIp().contains(":")).toList();
        if (!v4.isEmpty()) {
            kernel.filter().apply(rules.sandbox(containerId, n.bridge(), ep.ip(), v4));
        }
        if (!v6.isEmpty() && ep.ip6() != null && kernel.filter6() != null) {
            kernel.filter6().apply(rules.sandbox(containerId, n.bridge(), ep.ip6(), v6));
        }
    }

    void removePorts(String containerId, NetworkRecord n, EndpointRecord ep, List<PortMapping> ports) {
        if (ports.isEmpty() || !networks.driver(n).publishesPorts()) {
            return;
        }
        List<PortMapping> v4 = ports.stream().filter(p -> !p.hostIp().contains(":")).toList();
        List<PortMapping> v6 = ports.stream().filter(p -> p.hostIp().contains(":")).toList();
        if (!v4.isEmpty()) {
            kernel.filter().remove(rules.sandbox(containerId, n.bridge(), ep.ip(), v4));
        }
        if (!v6.isEmpty() && ep.ip6() != null && kernel.filter6() != null) {
            kernel.filter6().remove(rules.sandbox(containerId, n.bridge(), ep.ip6(), v6));
        }
    }

    private String newVethName() {
        byte[] b = new byte[4];
        random.nextBytes(b);
        return "veth" + HexFormat.of().formatHex(b).substring(0, 7);
    }
}
