package dev.berth.network;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Ids;
import dev.berth.network.NetworkRecords.NetworkRecord;
import dev.berth.network.NetworkService.NetworkSpec;
import dev.berth.sys.net.LinkInfo;
import dev.berth.sys.net.NetKernel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Network objects: the predefined "bridge", "host" and "none" networks and user-defined bridge
 * networks — their records, IPAM pools, bridge devices and per-network rules. Not thread-safe:
 * {@link BridgeNetworkService} serialises access.
 */
final class BridgeNetworks {
    static final String BRIDGE = "bridge";
    static final String HOST = "host";
    static final String NONE = "none";

    private final NetworkStore store;
    private final Ipam ipam;
    private final NetKernel kernel;
    private final BridgeRules rules;
    private final BridgeOptions options;

    BridgeNetworks(NetworkStore store, Ipam ipam, NetKernel kernel, BridgeRules rules, BridgeOptions options) {
        this.store = store;
        this.ipam = ipam;
        this.kernel = kernel;
        this.rules = rules;
        this.options = options;
    }

    /** Creates the records of the predefined networks if missing (ids are random once, then persisted). */
    void ensurePredefined() {
        Ipv4.Cidr cidr = Ipv4.Cidr.parse(options.bridgeCidr());
        Map<String, String> bridgeOpts = new TreeMap<>(Map.of(
                "com.docker.network.bridge.default_bridge", "true",
                "com.docker.network.bridge.enable_icc", "true",
                "com.docker.network.bridge.enable_ip_masquerade", "true",
                "com.docker.network.bridge.host_binding_ipv4", options.defaultBindIp(),
                "com.docker.network.bridge.name", options.bridgeName(),
                "com.docker.network.driver.mtu", Integer.toString(options.mtu())));
        Optional<NetworkRecord> existing = byName(BRIDGE);
        NetworkRecord wanted = new NetworkRecord(existing.map(NetworkRecord::id).orElseGet(Ids::newId), BRIDGE, "bridge",
                existing.map(NetworkRecord::created).orElseGet(BridgeNetworks::now), false, false, false,
                cidr.subnet(), cidr.ip(), null, options.bridgeName(), bridgeOpts, Map.of());
        if (existing.isEmpty() || !existing.get().equals(wanted)) {
            if (existing.isPresent() && !existing.get().subnet().equals(wanted.subnet())) {
                // The configured subnet changed: start a fresh pool (endpoints on the old one are gone by now).
                store.deleteNetwork(wanted.id());
            }
            store.putNetwork(wanted);
        }
        ipam.createPool(wanted.id(), wanted.subnet(), wanted.gateway());
        if (byName(HOST).isEmpty()) {
            store.putNetwork(new NetworkRecord(Ids.newId(), HOST, "host", now(), false, false, false, null, null, null, null, Map.of(), Map.of()));
        }
        if (byName(NONE).isEmpty()) {
            store.putNetwork(new NetworkRecord(Ids.newId(), NONE, "null", now(), false, false, false, null, null, null, null, Map.of(), Map.of()));
        }
    }

    List<NetworkRecord> all() {
        return store.networks();
    }

    Optional<NetworkRecord> byName(String name) {
        return all().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** Docker's lookup order: full id, exact name, unique id prefix. */
    NetworkRecord find(String nameOrId) {
        List<NetworkRecord> all = all();
        for (NetworkRecord n : all) {
            if (n.id().equals(nameOrId)) {
                return n;
            }
        }
        for (NetworkRecord n : all) {
            if (n.name().equals(nameOrId)) {
                return n;
            }
        }
        List<NetworkRecord> prefix = all.stream().filter(n -> !nameOrId.isEmpty() && n.id().startsWith(nameOrId)).toList();
        if (prefix.size() == 1) {
            return prefix.getFirst();
        }
        if (prefix.size() > 1) {
            throw BerthException.invalid("network %s is ambiguous (%d matches found based on ID prefix)", nameOrId, prefix.size());
        }
        throw BerthException.notFound("network %s not found", nameOrId);
    }

    static boolean isBridge(NetworkRecord n) {
        return "bridge".equals(n.driver());
    }

    /** Creates the bridge device if missing, sets its address, sysctls and network rules (idempotent). */
    void ensureKernel(NetworkRecord n) {
        String gatewayCidr = n.gateway() + "/" + Ipv4.Cidr.parse(n.subnet()).prefix();
        if (kernel.links().find(null, n.bridge()).isEmpty()) {
            kernel.links().applyAll(LinkPlans.createBridge(n.bridge(), gatewayCidr, options.mtu()));
        } else if (!kernel.links().ipv4Addresses(null, n.bridge()).contains(gatewayCidr)) {
            kernel.links().applyAll(LinkPlans.repairBridge(n.bridge(), gatewayCidr));
        } else {
            kernel.links().apply(new dev.berth.sys.net.LinkOp.SetUp(null, n.bridge()));
        }
        setIfDifferent("net.ipv4.ip_forward", "1", true);
        // Lets DNAT from 127.0.0.1 route into the bridge (published ports reachable via loopback).
        setIfDifferent("net.ipv4.conf." + n.bridge() + ".route_localnet", "1", true);
        // Container-to-container NAT across the bridge needs bridged traffic to pass iptables; only if br_netfilter is loaded.
        setIfDifferent("net.bridge.bridge-nf-call-iptables", "1", false);
        kernel.filter().apply(rules.network(n.id(), n.bridge(), n.subnet(), n.internal()));
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

    /** Removes the bridge device and network rules of a bridge network. */
    void removeKernel(NetworkRecord n) {
        kernel.filter().remove(rules.network(n.id(), n.bridge(), n.subnet(), n.internal()));
        kernel.links().apply(new dev.berth.sys.net.LinkOp.DeleteLink(null, n.bridge()));
    }

    /** Creates a user-defined bridge network (record, pool, bridge, rules); on failure nothing is left. */
    NetworkRecord create(NetworkSpec spec) {
        String driver = spec.driver() == null || spec.driver().isEmpty() ? "bridge" : spec.driver();
        if (!"bridge".equals(driver)) {
            throw new BerthException(ErrorKind.NOT_IMPLEMENTED, "network driver \"%s\" is not supported by berth yet (only bridge)".formatted(driver));
        }
        if (spec.name() == null || spec.name().isBlank()) {
            throw BerthException.invalid("network name must not be empty");
        }
        if (spec.enableIpv6()) {
            throw new BerthException(ErrorKind.NOT_IMPLEMENTED, "IPv6 networks are not supported by berth yet");
        }
        if (byName(spec.name()).isPresent()) {
            throw BerthException.conflict("network with name %s already exists", spec.name());
        }
        String id = Ids.newId();
        Map<String, String> opts = spec.options() == null ? Map.of() : spec.options();
        String bridge = opts.getOrDefault("com.docker.network.bridge.name", "br-" + id.substring(0, 12));
        var pools = spec.ipam() == null ? List.<NetworkService.IpamPool>of() : spec.ipam();
        Ipv4.Cidr subnet;
        String gateway;
        String ipRange = null;
        if (!pools.isEmpty() && pools.getFirst().subnet() != null && !pools.getFirst().subnet().isEmpty()) {
            var p = pools.getFirst();
            if (p.subnet().contains(":")) {
                throw new BerthException(ErrorKind.NOT_IMPLEMENTED, "IPv6 subnets are not supported by berth yet");
            }
            subnet = Ipv4.Cidr.parse(p.subnet());
            subnet = new Ipv4.Cidr(subnet.network(), subnet.prefix());
            for (Ipv4.Cidr used : usedSubnets()) {
                if (used.overlaps(subnet)) {
                    throw new BerthException(ErrorKind.FORBIDDEN, "invalid pool request: Pool overlaps with other one on this address space");
                }
            }
            gateway = p.gateway() == null || p.gateway().isEmpty() ? Ipv4.format(subnet.network() + 1) : p.gateway();
            if (!subnet.contains(Ipv4.parse(gateway))) {
                throw BerthException.invalid("invalid gateway %s: not in subnet %s", gateway, subnet.subnet());
            }
            ipRange = p.ipRange();
        } else {
            subnet = pickSubnet();
            gateway = Ipv4.format(subnet.network() + 1);
        }
        NetworkRecord n = new NetworkRecord(id, spec.name(), "bridge", now(), spec.internal(), spec.attachable(), false,
                subnet.subnet(), gateway, ipRange, bridge, new TreeMap<>(opts),
                spec.labels() == null ? Map.of() : new TreeMap<>(spec.labels()));
        store.putNetwork(n);
        try {
            ipam.createPool(n.id(), n.subnet(), n.gateway(), n.ipRange());
            ensureKernel(n);
        } catch (RuntimeException e) {
            try {
                removeKernel(n);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            store.deleteNetwork(n.id());
            throw e;
        }
        return n;
    }

    void delete(NetworkRecord n) {
        if (isBridge(n)) {
            removeKernel(n);
        }
        store.deleteNetwork(n.id());
    }

    private List<Ipv4.Cidr> usedSubnets() {
        List<Ipv4.Cidr> used = new ArrayList<>();
        for (NetworkRecord n : all()) {
            if (n.subnet() != null) {
                used.add(Ipv4.Cidr.parse(n.subnet()));
            }
        }
        // Addresses on host links (e.g. a real docker0 or the uplink) must not be shadowed.
        for (LinkInfo l : kernel.links().list(null)) {
            for (String a : kernel.links().ipv4Addresses(null, l.name())) {
                used.add(Ipv4.Cidr.parse(a.endsWith("/32") ? a.replace("/32", "/30") : a));
            }
        }
        return used;
    }

    /** Docker-like default pools, starting where a real dockerd is unlikely to be. */
    private Ipv4.Cidr pickSubnet() {
        List<String> candidates = new ArrayList<>();
        for (int b = 31; b >= 18; b--) {
            candidates.add("172." + b + ".0.0/16");
        }
        for (int c = 0; c < 256; c += 16) {
            candidates.add("192.168." + c + ".0/20");
        }
        List<Ipv4.Cidr> used = usedSubnets();
        for (String c : candidates) {
            Ipv4.Cidr cidr = Ipv4.Cidr.parse(c);
            if (used.stream().noneMatch(u -> u.overlaps(cidr))) {
                return cidr;
            }
        }
        throw BerthException.unavailable("all predefined address pools have been fully subnetted");
    }

    static String now() {
        return Instant.now().toString();
    }
}
