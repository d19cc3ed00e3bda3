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
 * Endpoints of sandboxes on bridge networks, in two steps so the service can record an endpoint
 * before touching the kernel: {@link #plan} allocates the address and names the veth,
 * {@link #install} creates the links; {@link #uninstall} undoes both. Not thread-safe: the
 * service serialises access.
 */
final class Endpoints {
    private final Ipam ipam;
    private final NetKernel kernel;
    private final BridgeRules rules;
    private final int mtu;
    private final SecureRandom random;

    Endpoints(Ipam ipam, NetKernel kernel, BridgeRules rules, int mtu, SecureRandom random) {
        this.ipam = ipam;
        this.kernel = kernel;
        this.rules = rules;
        this.mtu = mtu;
        this.random = random;
    }

    /** Allocates an address (persisted) for a new endpoint; nothing in the kernel yet. */
    EndpointRecord plan(String containerId, NetworkRecord n, EndpointRequest req, String ifName) {
        String wantIp = req == null ? null : req.ipv4Address();
        if (wantIp != null && !wantIp.isEmpty() && BridgeNetworks.BRIDGE.equals(n.name())) {
            throw BerthException.invalid("user specified IP address is supported on user defined networks only");
        }
        String ip = ipam.allocate(n.id(), containerId, wantIp);
        int prefix = Ipv4.Cidr.parse(n.subnet()).prefix();
        String mac = req != null && req.macAddress() != null && !req.macAddress().isEmpty() ? req.macAddress() : Ipv4.macFor(ip);
        List<String> aliases = req == null || req.aliases() == null ? List.of() : List.copyOf(req.aliases());
        return new EndpointRecord(n.id(), n.name(), Ids.newId(), ifName, newVethName(), ip, prefix, n.gateway(), mac, aliases);
    }

    /** Creates the veth pair, address and (if asked) default route of a planned endpoint. */
    void install(Path netns, NetworkRecord n, EndpointRecord ep, boolean defaultRoute) {
        kernel.links().applyAll(LinkPlans.attach(n.bridge(), netns, ep.vethHost(), ep.ifName(), ep.ip() + "/" + ep.prefixLen(),
                ep.gateway(), ep.mac(), mtu, defaultRoute));
    }

    /** Makes {@code ep} the interface of the default route (after the previous one left). */
    void routeVia(Path netns, EndpointRecord ep) {
        kernel.links().apply(new LinkOp.AddRoute(netns, "default", ep.gateway(), ep.ifName()));
    }

    /** Deletes the veth (its peer goes with it) and releases the address. Both are idempotent. */
    void uninstall(EndpointRecord ep) {
        if (ep.vethHost() != null) {
            kernel.links().applyAll(LinkPlans.detach(ep.vethHost()));
        }
        if (ep.ip() != null) {
            ipam.release(ep.networkId(), ep.ip());
        }
    }

    void applyPorts(String containerId, NetworkRecord n, EndpointRecord ep, List<PortMapping> ports) {
        if (!ports.isEmpty()) {
            kernel.filter().apply(rules.sandbox(containerId, n.bridge(), ep.ip(), ports));
        }
    }

    void removePorts(String containerId, NetworkRecord n, EndpointRecord ep, List<PortMapping> ports) {
        if (!ports.isEmpty()) {
            kernel.filter().remove(rules.sandbox(containerId, n.bridge(), ep.ip(), ports));
        }
    }

    private String newVethName() {
        byte[] b = new byte[4];
        random.nextBytes(b);
        return "veth" + HexFormat.of().formatHex(b).substring(0, 7);
    }
}
