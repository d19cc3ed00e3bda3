package dev.berth.network;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Ids;
import dev.berth.network.NetworkRecords.EndpointRecord;
import dev.berth.network.NetworkRecords.NetworkRecord;
import dev.berth.network.NetworkRecords.SandboxRecord;
import dev.berth.sys.net.NetKernel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link NetworkService} for one host: Docker's bridge driver with {@code userland-proxy=false}
 * (Linux bridges, veth pairs, persistent network namespaces, iptables and ip6tables), the
 * macvlan driver, and any further {@link NetworkDriver} given at construction — under our own
 * names (bridge {@code berth0}, chains {@code BERTH*}) so it can run beside a real dockerd. Also
 * IPAM (IPv4 and IPv6), published ports and the embedded DNS server (one selector thread for all
 * containers). All state is under {@code <data-root>/network}; namespaces are files under
 * {@code <exec-root>/netns}. Thread-safe: one lock serialises every mutation and the kernel work
 * that belongs to it (sandbox set-up takes tens of milliseconds); DNS lookups never take it.
 */
public final class BridgeNetworkService implements NetworkService {

    private final NetworkStore store;
    private final Ipam ipam;
    private final NetKernel kernel;
    private final BridgeRules rules;
    private final BridgeNetworks networks;
    private final PortAllocator ports;
    private final Endpoints endpoints;
    private final PlainSandboxes plain;
    private final EmbeddedDns dns;
    private final PeerResolver peers = new PeerResolver();
    private final Ipam6 ipam6;
    private final SandboxFiles files;
    private final EndpointMoves moves;
    private final DriverSandboxes sandboxes;
    private final BridgeOptions options;
    private final Path netnsDir;
    private final ReentrantLock lock = new ReentrantLock();
    private final SecureRandom random = new SecureRandom();
    private boolean started;

    /** The daemon's constructor; null arguments take the defaults named in {@link BridgeOptions}. */
    public BridgeNetworkService(Path dataRoot, Path execRoot, String bridgeName, String bridgeCidr, String defaultBindIp,
                                Path hostResolvConf, NetKernel kernel) {
        this(dataRoot, execRoot, new BridgeOptions(bridgeName, bridgeCidr, defaultBindIp, null, 0, hostResolvConf, null), kernel);
    }

    public BridgeNetworkService(Path dataRoot, Path execRoot, BridgeOptions options, NetKernel kernel) {
        this(dataRoot, execRoot, options, kernel, List.of());
    }

    /**
     * With more network drivers (e.g. an overlay) beside the built-in bridge and macvlan ones; a
     * driver with a built-in's name replaces it.
     */
    public BridgeNetworkService(Path dataRoot, Path execRoot, BridgeOptions options, NetKernel kernel, List<NetworkDriver> extraDrivers) {
        this.options = options;
        this.kernel = kernel;
        this.store = new NetworkStore(dataRoot.resolve("network"));
        this.ipam = new Ipam(store);
        this.ipam6 = new Ipam6(store);
        this.rules = new BridgeRules(options.chainPrefix());
        java.util.Map<String, NetworkDriver> drivers = new java.util.LinkedHashMap<>();
        for (NetworkDriver d : List.of(new BridgeDriver(kernel, rules), new MacvlanDriver(kernel))) {
            drivers.put(d.name(), d);
        }
        for (NetworkDriver d : extraDrivers) {
            drivers.put(d.name(), d);
        }
        this.networks = new BridgeNetworks(store, ipam, ipam6, kernel, options, java.util.Map.copyOf(drivers));
        this.ports = new PortAllocator(kernel.ports(), random);
        this.plain = new PlainSandboxes(options, () -> networks.byName(BridgeNetworks.BRIDGE).map(NetworkRecord::gateway)
                .orElseGet(() -> options.bridgeCidr() == null ? null : Ipv4.Cidr.parse(options.bridgeCidr()).ip()));
        this.dns = new EmbeddedDns(kernel.sockets(), peers);
        this.endpoints = new Endpoints(ipam, ipam6, kernel, rules, networks, random);
        this.netnsDir = execRoot.resolve("netns");
        this.moves = new EndpointMoves(store, networks, endpoints);
        this.files = new SandboxFiles(dataRoot);
        this.sandboxes = new DriverSandboxes(store, ipam, ipam6, kernel, networks, ports, endpoints, plain, dns, peers, files, options, netnsDir);
    }

    @Override
    public void start() {
        lock.lock();
        try {
            Optional<NetworkRecord> before = networks.byName(BridgeNetworks.BRIDGE);
            networks.ensurePredefined();
            kernel.filter().apply(rules.base());
            before.ifPresent(this::dropStaleDefaultBridgeRules);
            if (kernel.filter6() != null) {
                // Our IPv6 chains exist while the daemon runs, as the IPv4 ones (empty without --ipv6 networks).
                kernel.filter6().apply(rules.base());
            }
            for (NetworkRecord n : networks.all()) {
                if (BridgeNetworks.isBridge(n)) {
                    networks.ensureKernel(n);
                }
            }
            List<String> live = new ArrayList<>();
            for (SandboxRecord s : store.sandboxes()) {
                if (s.ownsNetns() && !kernel.netns().exists(Path.of(s.netnsPath()))) {
                    // The namespace is gone (host rebooted): its container cannot be running.
                    sandboxes.teardown(s);
                    continue;
                }
                live.add(s.containerId());
                reinstall(s);
                if (s.dnsUpstreams() != null) {
                    sandboxes.serveDns(s);
                }
            }
            // IPs allocated by a crash between allocation and recording the sandbox are freed here.
            for (NetworkRecord n : networks.all()) {
                if (BridgeNetworks.isBridge(n)) {
                    for (String owner : List.copyOf(ipam.allocations(n.id()).values())) {
                        if (!"gateway".equals(owner) && !live.contains(owner)) {
                            ipam.releaseOwner(n.id(), owner);
                            ipam6.releaseOwner(n.id(), owner);
                        }
                    }
                }
            }
            peers.refresh(store.sandboxes());
            started = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * When the default bridge's settings changed since the last run (--bip, --icc, --ip-masq), its
     * old rules would stay in our chains beside the new ones (an old ACCEPT would defeat
     * {@code --icc=false}): remove them before the new ones are applied.
     */
    private void dropStaleDefaultBridgeRules(NetworkRecord old) {
        NetworkRecord now = networks.byName(BridgeNetworks.BRIDGE).orElse(old);
        if (now.equals(old) || old.bridge() == null || old.subnet() == null) {
            return;
        }
        var o = old.options() == null ? java.util.Map.<String, String>of() : old.options();
        kernel.filter().remove(rules.network(old.id(), old.bridge(), old.subnet(), old.internal(),
                BridgeDriver.flag(o, BridgeDriver.OPT_ICC), BridgeDriver.flag(o, BridgeDriver.OPT_MASQ), false));
    }

    /** Re-creates what a live sandbox needs after a daemon restart (rules; links stay in the kernel). */
    private void reinstall(SandboxRecord s) {
        if (!s.endpoints().isEmpty()) {
            EndpointRecord primary = s.endpoints().getFirst();
            networkOf(primary).ifPresent(n -> endpoints.applyPorts(s.containerId(), n, primary, s.ports()));
        }
    }

    private void ensureStarted() {
        if (!started) {
            start();
        }
    }

    @Override
    public Sandbox createSandbox(SandboxRequest request) {
        if (request.containerId() == null || request.containerId().isEmpty()) {
            throw BerthException.invalid("container id is required");
        }
        SandboxRequest req = withDnsDefaults(request, options);
        lock.lock();
        try {
            ensureStarted();
            store.sandbox(req.containerId()).ifPresent(sandboxes::teardown);
            String mode = req.networkMode() == null || req.networkMode().isEmpty() || "default".equals(req.networkMode())
                    ? BridgeNetworks.BRIDGE : req.networkMode();
            SandboxRecord rec;
            if (mode.startsWith("container:")) {
                rec = plain.join(req, store.sandboxes());
                store.putSandbox(rec);
            } else {
                NetworkRecord n = networks.find(mode);
                rec = switch (n.driver()) {
                    case "host" -> {
                        SandboxRecord h = plain.host(req, n);
                        store.putSandbox(h);
                        yield h;
                    }
                    case "null" -> sandboxes.noneSandbox(req, n);
                    default -> {
                        networks.driver(n); // fails clearly for a driver that is not (or no longer) available
                        yield sandboxes.bridgeSandbox(req, n);
                    }
                };
            }
            peers.refresh(store.sandboxes());
            return SandboxViews.sandbox(rec);
        } finally {
            lock.unlock();
        }
    }

    /** dockerd's --dns-search/--dns-opt: each applies to containers that set no value of their own. */
    static SandboxRequest withDnsDefaults(SandboxRequest r, BridgeOptions o) {
        boolean search = (r.dnsSearch() == null || r.dnsSearch().isEmpty()) && !o.dnsSearch().isEmpty();
        boolean opts = (r.dnsOptions() == null || r.dnsOptions().isEmpty()) && !o.dnsOptions().isEmpty();
        if (!search && !opts) {
            return r;
        }
        return new SandboxRequest(r.containerId(), r.containerName(), r.networkMode(), r.hostname(), r.domainname(), r.ports(),
                r.publishAll(), r.exposedPorts(), r.endpoints(), r.dns(), search ? o.dnsSearch() : r.dnsSearch(),
                opts ? o.dnsOptions() : r.dnsOptions(), r.extraHosts(), r.joinNetnsPath());
    }

    /** For tests: the threads serving every embedded DNS socket (one selector thread, whatever the number of containers). */
    int dnsThreads() {
        return dns.serverThreads();
    }

    /** For tests: where the embedded DNS server of a container takes TCP queries. */
    java.net.SocketAddress dnsTcpAddress(String containerId) throws java.io.IOException {
        return dns.localTcpAddress(containerId);
    }

    /** For tests: where the embedded DNS server of a container listens. */
    java.net.SocketAddress dnsAddress(String containerId) throws java.io.IOException {
        return dns.localAddress(containerId);
    }

    @Override
    public void removeSandbox(String containerId) {
        lock.lock();
        try {
            store.sandbox(containerId).ifPresent(sandboxes::teardown);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Sandbox> sandbox(String containerId) {
        lock.lock();
        try {
            return store.sandbox(containerId).map(SandboxViews::sandbox);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<NetworkInfo> networks() {
        lock.lock();
        try {
            List<SandboxRecord> sbs = store.sandboxes();
            return networks.all().stream().map(n -> SandboxViews.info(n, sbs)).toList();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public NetworkInfo network(String nameOrId) {
        lock.lock();
        try {
            return SandboxViews.info(networks.find(nameOrId), store.sandboxes());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public NetworkInfo createNetwork(NetworkSpec spec) {
        lock.lock();
        try {
            ensureStarted();
            return SandboxViews.info(networks.create(spec), List.of());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void removeNetwork(String nameOrId) {
        lock.lock();
        try {
            NetworkRecord n = networks.find(nameOrId);
            if (List.of(BridgeNetworks.BRIDGE, BridgeNetworks.HOST, BridgeNetworks.NONE).contains(n.name())) {
                throw new BerthException(ErrorKind.FORBIDDEN, "%s is a pre-defined network and cannot be removed".formatted(n.name()));
            }
            List<String> users = store.sandboxes().stream()
                    .filter(s -> s.endpoints().stream().anyMatch(e -> e.networkId().equals(n.id())))
                    .map(s -> "name:\"%s\" id:\"%s\"".formatted(s.containerName(), Ids.shortId(s.containerId()))).toList();
            if (!users.isEmpty()) {
                throw new BerthException(ErrorKind.FORBIDDEN, "error while removing network: network %s has active endpoints (%s)"
                        .formatted(n.name(), String.join(", ", users)));
            }
            networks.delete(n);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Endpoint connect(String containerId, String network, EndpointRequest request) {
        lock.lock();
        try {
            Endpoint ep = moves.connect(containerId, network, request);
            store.sandbox(containerId).ifPresent(sandboxes::enableDnsAfterConnect);
            peers.refresh(store.sandboxes());
            return ep;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void disconnect(String containerId, String network, boolean force) {
        lock.lock();
        try {
            moves.disconnect(containerId, network);
            peers.refresh(store.sandboxes());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes every sandbox, user-defined bridge, the default bridge and our base chains — the
     * host is left as before {@link #start()}. For tests and uninstalling; records of the
     * networks stay so their ids survive.
     */
    public void uninstall() {
        lock.lock();
        try {
            for (SandboxRecord s : store.sandboxes()) {
                sandboxes.teardown(s);
            }
            for (NetworkRecord n : networks.all()) {
                if (BridgeNetworks.isBridge(n)) {
                    networks.removeKernel(n);
                }
            }
            kernel.filter().remove(rules.base());
            if (kernel.filter6() != null) {
                kernel.filter6().remove(rules.base());
            }
            dns.close();
            started = false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Where changed resolv.conf contents of running containers are delivered (e.g. after
     * connect). Without a listener the service rewrites {@code <data-root>/containers/<id>/resolv.conf}
     * in place if it exists (the daemon's layout; in place because it is bind-mounted).
     */
    public void onResolvConfChanged(java.util.function.BiConsumer<String, String> listener) {
        files.listener(listener);
    }

    /** The iptables backend in use (diagnostics, {@code docker info}). */
    public String firewallBackend() {
        return kernel.filter().backend();
    }

    private Optional<NetworkRecord> networkOf(EndpointRecord ep) {
        return networks.all().stream().filter(n -> n.id().equals(ep.networkId())).findFirst();
    }
}
