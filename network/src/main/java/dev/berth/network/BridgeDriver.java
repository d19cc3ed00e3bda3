package dev.berth.network;

import dev.berth.common.BerthException;
import dev.berth.sys.net.LinkOp;
import dev.berth.sys.net.NetKernel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bridge driver: a Linux bridge per network holding the gateway address(es), a veth pair
 * per endpoint, NAT and forwarding rules per network ({@link BridgeRules}; ip6tables for IPv6).
 * Options: {@code com.docker.network.bridge.name}, {@code com.docker.network.driver.mtu},
 * {@code com.docker.network.bridge.enable_icc}, {@code com.docker.network.bridge.enable_ip_masquerade}.
 * Not thread-safe (the service serialises calls).
 */
final class BridgeDriver implements NetworkDriver {
    static final String OPT_NAME = "com.docker.network.bridge.name";
    static final String OPT_MTU = "com.docker.network.driver.mtu";
    static final String OPT_ICC = "com.docker.network.bridge.enable_icc";
    static final String OPT_MASQ = "com.docker.network.bridge.enable_ip_masquerade";

    private final NetKernel kernel;
    private final BridgeRules rules;

    BridgeDriver(NetKernel kernel, BridgeRules rules) {
        this.kernel = kernel;
        this.rules = rules;
    }

    @Override
    public String name() {
        return "bridge";
    }

    @Override
    public boolean publishesPorts() {
        return true;
    }

    @Override
    public String prepare(DriverNetwork n) {
        Map<String, String> o = n.options();
        String bridge = o.getOrDefault(OPT_NAME, "br-" + n.id().substring(0, 12));
        if (bridge.isEmpty() || bridge.length() > 15 || !bridge.matches("[A-Za-z0-9_.-]+")) {
            throw BerthException.invalid("invalid bridge name %s: 1 to 15 letters, digits, '_', '.', '-'", bridge);
        }
        if (o.containsKey(OPT_NAME) && kernel.links().find(null, bridge).isPresent()) {
            throw BerthException.conflict("bridge name %s is already in use on the host", bridge);
        }
        for (String bool : List.of(OPT_ICC, OPT_MASQ)) {
            if (o.containsKey(bool) && !List.of("true", "false", "1", "0").contains(o.get(bool))) {
                throw BerthException.invalid("invalid value for %s: %s (true or false)", bool, o.get(bool));
            }
        }
        return bridge;
    }

    static int mtu(Map<String, String> options, int fallback) {
        String v = options.get(OPT_MTU);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            int m = Integer.parseInt(v);
            if (m < 68 || m > 65535) {
                throw BerthException.invalid("invalid MTU %s: must be between 68 and 65535", v);
            }
            return m;
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid MTU %s: not a number", v);
        }
    }

    static boolean flag(Map<String, String> o, String key) {
        String v = o.getOrDefault(key, "true");
        return v.equals("true") || v.equals("1");
    }

    @Override
    public void setUp(DriverNetwork n) {
        String bridge = n.device();
        String gatewayCidr = n.gateway() + "/" + Ipv4.Cidr.parse(n.subnet()).prefix();
        if (kernel.links().find(null, bridge).isEmpty()) {
            kernel.links().applyAll(LinkPlans.createBridge(bridge, gatewayCidr, n.mtu()));
        } else if (!kernel.links().ipv4Addresses(null, bridge).contains(gatewayCidr)) {
            kernel.links().applyAll(LinkPlans.repairBridge(bridge, gatewayCidr));
        } else {
            kernel.links().apply(new LinkOp.SetUp(null, bridge));
        }
        setIfDifferent("net.ipv4.ip_forward", "1", true);
        // Lets DNAT from 127.0.0.1 route into the bridge (published ports reachable via loopback).
        setIfDifferent("net.ipv4.conf." + bridge + ".route_localnet", "1", true);
        // Container-to-container NAT across the bridge needs bridged traffic to pass iptables; only if br_netfilter is loaded.
        setIfDifferent("net.bridge.bridge-nf-call-iptables", "1", false);
        kernel.filter().apply(rules.network(n.id(), bridge, n.subnet(), n.internal(), flag(n.options(), OPT_ICC), flag(n.options(), OPT_MASQ), false));
        if (n.subnet6() != null) {
            int p6 = Ipv6.Cidr.parse(n.subnet6()).prefix();
            kernel.links().apply(new LinkOp.AddAddress(null, bridge, n.gateway6() + "/" + p6));
            setIfDifferent("net.ipv6.conf.all.forwarding", "1", true);
            setIfDifferent("net.bridge.bridge-nf-call-ip6tables", "1", false);
            filter6().apply(rules.base());
            filter6().apply(rules.network(n.id(), bridge, n.subnet6(), n.internal(), flag(n.options(), OPT_ICC), flag(n.options(), OPT_MASQ), true));
        }
    }

    @Override
    public void tearDown(DriverNetwork n) {
        kernel.filter().remove(rules.network(n.id(), n.device(), n.subnet(), n.internal(), flag(n.options(), OPT_ICC), flag(n.options(), OPT_MASQ), false));
        if (n.subnet6() != null && kernel.filter6() != null) {
            kernel.filter6().remove(rules.network(n.id(), n.device(), n.subnet6(), n.internal(), flag(n.options(), OPT_ICC), flag(n.options(), OPT_MASQ), true));
        }
        kernel.links().apply(new LinkOp.DeleteLink(null, n.device()));
    }

    @Override
    public void join(Path netns, DriverNetwork n, DriverEndpoint ep, boolean defaultRoute) {
        List<LinkOp> ops = new ArrayList<>(LinkPlans.attach(n.device(), netns, ep.hostLink(), ep.ifName(), ep.ipv4Cidr(),
                ep.gateway(), ep.mac(), n.mtu(), defaultRoute));
        if (ep.ipv6Cidr() != null) {
            ops.addAll(LinkPlans.ipv6(netns, ep.ifName(), ep.ipv6Cidr(), defaultRoute ? ep.gateway6() : null));
        }
        kernel.links().applyAll(ops);
    }

    @Override
    public void leave(Path netns, DriverNetwork n, DriverEndpoint ep) {
        if (ep.hostLink() != null) {
            kernel.links().applyAll(LinkPlans.detach(ep.hostLink()));
        }
    }

    dev.berth.sys.net.PacketFilter filter6() {
        return Optional.ofNullable(kernel.filter6())
                .orElseThrow(() -> BerthException.unavailable("IPv6 networking needs ip6tables, which does not work on this host"));
    }

    private void setIfDifferent(String key, String value, boolean required) {
        Optional<String> cur = kernel.sysctl().read(key);
        if (cur.isEmpty() && !required) {
            return;
        }
        if (!cur.map(value::equals).orElse(false)) {
            kernel.sysctl().write(key, value);
        }
    }
}
