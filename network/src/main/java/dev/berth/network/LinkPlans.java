package dev.berth.network;

import dev.berth.sys.net.LinkOp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The link operations of bridge networking, computed as data (golden-tested). Pure utility. */
final class LinkPlans {
    private LinkPlans() {}

    /** Creates a bridge, gives it the gateway address and brings it up. */
    static List<LinkOp> createBridge(String bridge, String gatewayCidr, int mtu) {
        return List.of(new LinkOp.CreateBridge(bridge, mtu), new LinkOp.AddAddress(null, bridge, gatewayCidr), new LinkOp.SetUp(null, bridge));
    }

    /** Makes sure an existing bridge has its address and is up (idempotent). */
    static List<LinkOp> repairBridge(String bridge, String gatewayCidr) {
        return List.of(new LinkOp.AddAddress(null, bridge, gatewayCidr), new LinkOp.SetUp(null, bridge));
    }

    /**
     * Connects a namespace to a bridge: a veth pair whose container side is created inside the
     * namespace as {@code ifName}, with the address, MAC and (for the first interface) default route.
     */
    static List<LinkOp> attach(String bridge, Path netns, String vethHost, String ifName, String ipCidr, String gateway,
                               String mac, int mtu, boolean defaultRoute) {
        List<LinkOp> ops = new ArrayList<>(List.of(
                new LinkOp.CreateVeth(vethHost, ifName, netns, mtu),
                new LinkOp.SetMaster(vethHost, bridge),
                // Hairpin lets a container reach its own published port through the host.
                new LinkOp.SetHairpin(vethHost, true),
                new LinkOp.SetUp(null, vethHost),
                new LinkOp.SetMac(netns, ifName, mac),
                new LinkOp.AddAddress(netns, ifName, ipCidr),
                new LinkOp.SetUp(netns, ifName),
                new LinkOp.SetUp(netns, "lo")));
        if (defaultRoute && gateway != null) {
            ops.add(new LinkOp.AddRoute(netns, "default", gateway, ifName));
        }
        return ops;
    }

    /** IPv6 on a container interface: enabled in the namespace, the address, and (with a gateway) the default route. */
    static List<LinkOp> ipv6(Path netns, String ifName, String ipv6Cidr, String gateway6) {
        List<LinkOp> ops = new ArrayList<>(List.of(
                new LinkOp.SetSysctl(netns, "net.ipv6.conf." + ifName + ".disable_ipv6", "0"),
                new LinkOp.AddAddress(netns, ifName, ipv6Cidr)));
        if (gateway6 != null) {
            ops.add(new LinkOp.AddRoute(netns, "default", gateway6, ifName));
        }
        return ops;
    }

    /** Removing the host end of a veth removes its peer too. */
    static List<LinkOp> detach(String vethHost) {
        return List.of(new LinkOp.DeleteLink(null, vethHost));
    }
}
