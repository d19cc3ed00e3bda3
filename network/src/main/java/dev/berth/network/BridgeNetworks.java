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
 * Network objects: the predefined "bridge", "host" and "none" networks and user-defined
 * networks of any {@link NetworkDriver} — their records, IPAM pools (IPv4, IPv6), validation of
 * {@code docker network create}; kernel objects are the driver's. Not thread-safe:
 * {@link BridgeNetworkService} serialises access.
 */
final class BridgeNetworks {
    static final String BRIDGE = "bridge";
    static final String HOST = "host";
    static final String NONE = "none";

    private final NetworkStore store;
    private final Ipam ipam;
    private final NetKernel kernel;
    private final BridgeOptions options;
    private final Ipam6 ipam6;
    private final Map<String, NetworkDriver> drivers;

    BridgeNetworks(NetworkStore store, Ipam ipam, Ipam6 ipam6, NetKernel kernel, BridgeOptions options, Map<String, NetworkDriver> drivers) {
        this.store = store;
        this.ipam = ipam;
        this.ipam6 = ipam6;
        this.kernel = kernel;
        this.options = options;
        this.drivers = drivers;
    }

    /** Creates the records of the predefined networks if missing (ids are random once, then persisted). */
    void ensurePredefined() {
        Ipv4.Cidr cidr = options.bridgeFromPools() ? bridgeFromPools() : Ipv4.Cidr.parse(options.bridgeCidr());
        Map<String, String> bridgeOpts = new TreeMap<>(Map.of(
                "com.docker.network.bridge.default_bridge", "true",
                "com.docker.network.bridge.enable_icc", Boolean.toString(options.icc()),
                "com.docker.network.bridge.enable_ip_masquerade", Boolean.toString(options.ipMasq()),
                "com.docker.network.bridge.host_binding_ipv4", options.defaultBindIp(),
                "com.docker.network.bridge.name", options.bridgeName(),
                "com.docker.network.driver.mtu", Integer.toString(options.mtu())));
        Optional<NetworkRecord> existing = byName(BRIDGE);
        NetworkRecord wanted = new NetworkRecord(existing.map(NetworkRecord::id).orElseGet(Ids::newId), BRIDGE, "bridge",
                existing.map(NetworkRecord::created).orElseGet(BridgeNetworks::now), false, false, false,
                cidr.subnet(), cidr.ip(), options.fixedCidr(), options.bridgeName(), bridgeOpts, Map.of());
        if (existing.isEmpty() || !existing.get().equals(wanted)) {
            if (existing.isPresent() && !existing.get().subnet().equals(wanted.subnet())) {
                // The configured subnet changed: start a fresh pool (endpoints on the old one are gone by now).
                store.deleteNetwork(wanted.id());
            }
            store.putNetwork(wanted);
        }
        ipam.createPool(wanted.id(), wanted.subnet(), wanted.gateway(), wanted.ipRange());
        ipam.setRange(wanted.id(), wanted.ipRange()); // --fixed-cidr may differ from the last run's
        if (byName(HOST).isEmpty()) {
            store.putNetwork(new NetworkRecord(Ids.newId(), HOST, "host", now(), false, false, false, null, null, null, null, Map.of(), Map.of()));
        }
        if (byName(NONE).isEmpty()) {
            store.putNetwork(new NetworkRecord(Ids.newId(), NONE, "null", now(), false, false, false, null, null, null, null, Map.of(), Map.of()));
        }
    }

    /**
     * dockerd without --bip and with address pools: the default bridge keeps its subnet if that
     * lies in a pool and is still free, else takes the first free subnet of the pools (other
     * networks and host addresses count, the bridge's own device does not).
     */
    private Ipv4.Cidr bridgeFromPools() {
        Optional<NetworkRecord> existing = byName(BRIDGE);
        List<Ipv4.Cidr> used = new ArrayList<>();
        for (NetworkRecord n : all()) {
            if (n.subnet() != null && !n.name().equals(BRIDGE)) {
                used.add(Ipv4.Cidr.parse(n.subnet()));
            }
        }
        used.addAll(hostLinkSubnets(options.bridgeName()));
        if (existing.isPresent() && existing.get().subnet() != null) {
            Ipv4.Cidr cur = Ipv4.Cidr.parse(existing.get().subnet());
            boolean inPool = options.addressPools().stream().map(p -> Ipv4.Cidr.parse(p.base()))
                    .anyMatch(b -> cur.prefix() >= b.prefix() && b.contains(cur.network()));
            if (inPool && used.stream().noneMatch(u -> u.overlaps(cur))) {
                return new Ipv4.Cidr(Ipv4.parse(existing.get().gateway()), cur.prefix());
            }
        }
        for (Ipv4.Cidr c : candidates(options.addressPools())) {
            if (used.stream().noneMatch(u -> u.overlaps(c))) {
                return new Ipv4.Cidr(c.network() + 1, c.prefix());
            }
        }
        throw BerthException.unavailable("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
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

    /** Whether the network has endpoints with interfaces through a driver (everything but "host" and "null"). */
    static boolean isBridge(NetworkRecord n) {
        return !"host".equals(n.driver()) && !"null".equals(n.driver());
    }

    NetworkDriver driver(NetworkRecord n) {
        NetworkDriver d = drivers.get(n.driver());
        if (d == null) {
            throw BerthException.notFound("plugin \"%s\" not found", n.driver());
        }
        return d;
    }

    /** The driver's view of a network. */
    NetworkDriver.DriverNetwork view(NetworkRecord n) {
        Map<String, String> opts = n.options() == null ? Map.of() : n.options();
        return new NetworkDriver.DriverNetwork(n.id(), n.name(), n.bridge(), n.subnet(), n.gateway(), n.subnet6(), n.gateway6(),
                // dockerd's --mtu is the default bridge's (its record carries it as an option); others default to 1500
                n.internal(), BridgeDriver.mtu(opts, BridgeOptions.defaults().mtu()), opts);
    }

    /** Creates or repairs the network's kernel objects through its driver (idempotent). */
    void ensureKernel(NetworkRecord n) {
        driver(n).setUp(view(n));
    }

    /** Removes the network's kernel objects. */
    void removeKernel(NetworkRecord n) {
        driver(n).tearDown(view(n));
    }

    /** Creates a user-defined network (record, pools, kernel objects); on failure nothing is left. */
    NetworkRecord create(NetworkSpec spec) {
        String driverName = spec.driver() == null || spec.driver().isEmpty() ? "bridge" : spec.driver();
        if (spec.name() == null || spec.name().isBlank()) {
            throw BerthException.invalid("network name must not be empty");
        }
        if (!spec.name().matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw BerthException.invalid("invalid network name \"%s\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", spec.name());
        }
        if (List.of(HOST, NONE, BRIDGE).contains(spec.name()) || byName(spec.name()).isPresent()) {
            throw BerthException.conflict("network with name %s already exists", spec.name());
        }
        if ("ipvlan".equals(driverName) && !drivers.containsKey("ipvlan")) {
            throw new BerthException(ErrorKind.NOT_IMPLEMENTED, kernel.links().supportsKind("ipvlan")
                    ? "the ipvlan driver is not implemented by berth yet; use macvlan or bridge"
                    : "the ipvlan driver is not available: this kernel has no ipvlan link type (CONFIG_IPVLAN); use macvlan or bridge");
        }
        if ("host".equals(driverName) || "null".equals(driverName)) {
            throw new BerthException(ErrorKind.FORBIDDEN, "only one instance of \"%s\" network is allowed".formatted(driverName));
        }
        NetworkDriver driver = drivers.get(driverName);
        if (driver == null) {
            throw BerthException.notFound("plugin \"%s\" not found", driverName);
        }
        String id = Ids.newId();
        Map<String, String> opts = spec.options() == null ? Map.of() : new TreeMap<>(spec.options());
        var pools = spec.ipam() == null ? List.<NetworkService.IpamPool>of() : spec.ipam();
        NetworkService.IpamPool pool4 = null;
        NetworkService.IpamPool pool6 = null;
        for (var p : pools) {
            if (p.subnet() == null || p.subnet().isEmpty()) {
                if ((p.gateway() != null && !p.gateway().isEmpty()) || (p.ipRange() != null && !p.ipRange().isEmpty())) {
                    throw BerthException.invalid("invalid pool request: gateway and ip-range need a subnet");
                }
                continue;
            }
            if (p.subnet().contains(":")) {
                if (pool6 != null) {
                    throw BerthException.invalid("only one IPv6 pool per network is supported");
                }
                pool6 = p;
            } else {
                if (pool4 != null) {
                    throw BerthException.invalid("only one IPv4 pool per network is supported");
                }
                pool4 = p;
            }
        }
        if (pool6 != null && !spec.enableIpv6()) {
            throw BerthException.invalid("an IPv6 subnet (%s) needs --ipv6", pool6.subnet());
        }
        Ipv4.Cidr subnet;
        String gateway;
        String ipRange = null;
        if (pool4 != null) {
            subnet = Ipv4.Cidr.parse(pool4.subnet());
            subnet = new Ipv4.Cidr(subnet.network(), subnet.prefix());
            // A macvlan network usually shares its parent's subnet (that is the point), so host links do not count there.
            for (Ipv4.Cidr used : usedSubnets(!"macvlan".equals(driverName))) {
                if (used.overlaps(subnet)) {
                    throw new BerthException(ErrorKind.FORBIDDEN, "invalid pool request: Pool overlaps with other one on this address space");
                }
            }
            gateway = pool4.gateway() == null || pool4.gateway().isEmpty() ? Ipv4.format(subnet.network() + 1) : pool4.gateway();
            long gw = Ipv4.parse(gateway);
            if (!subnet.contains(gw) || gw == subnet.network() || gw == subnet.broadcast()) {
                throw BerthException.invalid("invalid pool request: gateway %s is not a host address of subnet %s", gateway, subnet.subnet());
            }
            gateway = Ipv4.format(gw);
            ipRange = pool4.ipRange() == null || pool4.ipRange().isEmpty() ? null : pool4.ipRange();
            if (ipRange != null) {
                Ipv4.Cidr range = Ipv4.Cidr.parse(ipRange);
                if (range.prefix() < subnet.prefix() || !subnet.contains(range.network())) {
                    throw BerthException.invalid("invalid pool request: ip-range %s is not inside subnet %s", ipRange, subnet.subnet());
                }
            }
        } else {
            subnet = pickSubnet();
            gateway = Ipv4.format(subnet.network() + 1);
        }
        String subnet6 = null;
        String gateway6 = null;
        if (spec.enableIpv6()) {
            Ipv6.Cidr c6 = pool6 != null ? Ipv6.Cidr.parse(pool6.subnet()) : ula(id);
            c6 = new Ipv6.Cidr(c6.network(), c6.prefix());
            for (NetworkRecord other : all()) {
                if (other.subnet6() != null && Ipv6.Cidr.parse(other.subnet6()).overlaps(c6)) {
                    throw new BerthException(ErrorKind.FORBIDDEN, "invalid pool request: Pool overlaps with other one on this address space");
                }
            }
            subnet6 = c6.subnet();
            gateway6 = pool6 != null && pool6.gateway() != null && !pool6.gateway().isEmpty()
                    ? Ipv6.normalize(pool6.gateway()) : Ipv6.format(c6.network().add(java.math.BigInteger.ONE));
            if (!c6.contains(Ipv6.parse(gateway6))) {
                throw BerthException.invalid("invalid pool request: gateway %s is not in subnet %s", gateway6, subnet6);
            }
        }
        NetworkRecord draft = new NetworkRecord(id, spec.name(), driverName, now(), spec.internal(), spec.attachable(), spec.enableIpv6(),
                subnet.subnet(), gateway, ipRange, null, opts, spec.labels() == null ? Map.of() : new TreeMap<>(spec.labels()), subnet6, gateway6);
        String device = driver.prepare(view(draft));
        if ("macvlan".equals(driverName)) {
            for (NetworkRecord other : all()) {
                if ("macvlan".equals(other.driver()) && device.equals(other.bridge())) {
                    throw new BerthException(ErrorKind.FORBIDDEN, "network %s is already using parent interface %s".formatted(other.name(), device));
                }
            }
        }
        if (device != null && all().stream().anyMatch(o -> "bridge".equals(o.driver()) && "bridge".equals(driverName) && device.equals(o.bridge()))) {
            throw BerthException.conflict("bridge name %s is already used by another network", device);
        }
        NetworkRecord n = new NetworkRecord(id, spec.name(), driverName, draft.created(), spec.internal(), spec.attachable(), spec.enableIpv6(),
                draft.subnet(), gateway, ipRange, device, opts, draft.labels(), subnet6, gateway6);
        store.putNetwork(n);
        try {
            ipam.createPool(n.id(), n.subnet(), n.gateway(), n.ipRange());
            if (subnet6 != null) {
                ipam6.createPool(n.id(), subnet6, gateway6);
            }
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

    /** A unique-local /64 derived from the network id (Docker 27+ also gives --ipv6 networks a ULA by default). */
    private static Ipv6.Cidr ula(String id) {
        String h = id.substring(0, 10);
        return Ipv6.Cidr.parse("fd" + h.substring(0, 2) + ":" + h.substring(2, 6) + ":" + h.substring(6, 10) + "::/64");
    }

    void delete(NetworkRecord n) {
        if (isBridge(n)) {
            removeKernel(n);
        }
        store.deleteNetwork(n.id());
    }

    private List<Ipv4.Cidr> usedSubnets() {
        return usedSubnets(true);
    }

    private List<Ipv4.Cidr> usedSubnets(boolean hostLinks) {
        List<Ipv4.Cidr> used = new ArrayList<>();
        for (NetworkRecord n : all()) {
            if (n.subnet() != null) {
                used.add(Ipv4.Cidr.parse(n.subnet()));
            }
        }
        // Addresses on host links (e.g. a real docker0 or the uplink) must not be shadowed.
        if (hostLinks) {
            used.addAll(hostLinkSubnets(null));
        }
        return used;
    }

    /** Subnets of the IPv4 addresses on host links, but for link {@code except} (may be null). */
    private List<Ipv4.Cidr> hostLinkSubnets(String except) {
        List<Ipv4.Cidr> used = new ArrayList<>();
        for (LinkInfo l : kernel.links().list(null)) {
            if (l.name().equals(except)) {
                continue;
            }
            for (String a : kernel.links().ipv4Addresses(null, l.name())) {
                if (a.contains(":")) {
                    continue;
                }
                used.add(Ipv4.Cidr.parse(a.endsWith("/32") ? a.replace("/32", "/30") : a));
            }
        }
        return used;
    }

    /**
     * The first free subnet of the daemon's address pools (dockerd's --default-address-pool), or
     * without them of Docker-like pools starting where a real dockerd is unlikely to be.
     */
    private Ipv4.Cidr pickSubnet() {
        List<Ipv4.Cidr> used = usedSubnets();
        for (Ipv4.Cidr cidr : candidates(options.addressPools())) {
            if (used.stream().noneMatch(u -> u.overlaps(cidr))) {
                return cidr;
            }
        }
        throw BerthException.unavailable("all predefined address pools have been fully subnetted");
    }

    /** The subnets pools give, in order: each base split into subnets of the pool's size (lazily: a /8 in /24s is 65536). */
    static Iterable<Ipv4.Cidr> candidates(List<BridgeOptions.Pool> pools) {
        if (pools.isEmpty()) {
            List<Ipv4.Cidr> builtIn = new ArrayList<>();
            for (int b = 31; b >= 18; b--) {
                builtIn.add(Ipv4.Cidr.parse("172." + b + ".0.0/16"));
            }
            for (int c = 0; c < 256; c += 16) {
                builtIn.add(Ipv4.Cidr.parse("192.168." + c + ".0/20"));
            }
            return builtIn;
        }
        return () -> pools.stream().flatMap(p -> {
            Ipv4.Cidr base = Ipv4.Cidr.parse(p.base());
            long step = 1L << (32 - p.size());
            long count = 1L << (p.size() - base.prefix());
            return java.util.stream.LongStream.range(0, count).mapToObj(i -> new Ipv4.Cidr(base.network() + i * step, p.size()));
        }).iterator();
    }

    static String now() {
        return Instant.now().toString();
    }
}
