package dev.berth.network;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Ids;
import dev.berth.network.NetworkRecords.EndpointRecord;
import dev.berth.network.NetworkRecords.NetworkRecord;
import dev.berth.network.NetworkRecords.SandboxRecord;
import dev.berth.sys.net.LinkOp;
import dev.berth.sys.net.NetKernel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link NetworkService} with Linux bridges, veth pairs, persistent network namespaces and
 * iptables (Docker's default bridge driver with {@code userland-proxy=false}, under our own
 * names — bridge {@code berth0}, chains {@code BERTH*} — so it can run beside a real dockerd).
 * All state is under {@code <data-root>/network}; namespaces are files under
 * {@code <exec-root>/netns}. Thread-safe: one lock serialises every mutation and the kernel work
 * that belongs to it (sandbox set-up takes tens of milliseconds).
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
        this.plain = new PlainSandboxes(options);
        this.dns = new EmbeddedDns(kernel.sockets(), peers);
        this.endpoints = new Endpoints(ipam, ipam6, kernel, rules, networks, random);
        this.netnsDir = execRoot.resolve("netns");
        this.moves = new EndpointMoves(store, networks, endpoints);
        this.files = new SandboxFiles(dataRoot);
    }

    @Override
    public void start() {
        lock.lock();
        try {
            networks.ensurePredefined();
            kernel.filter().apply(rules.base());
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
                    teardown(s);
                    continue;
                }
                live.add(s.containerId());
                reinstall(s);
                if (s.dnsUpstreams() != null) {
                    serveDns(s);
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
    public Sandbox createSandbox(SandboxRequest req) {
        if (req.containerId() == null || req.containerId().isEmpty()) {
            throw BerthException.invalid("container id is required");
        }
        lock.lock();
        try {
            ensureStarted();
            store.sandbox(req.containerId()).ifPresent(this::teardown);
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
                    case "null" -> noneSandbox(req, n);
                    default -> {
                        networks.driver(n); // fails clearly for a driver that is not (or no longer) available
                        yield bridgeSandbox(req, n);
                    }
                };
            }
            peers.refresh(store.sandboxes());
            return SandboxViews.sandbox(rec);
        } finally {
            lock.unlock();
        }
    }

    private SandboxRecord noneSandbox(SandboxRequest req, NetworkRecord n) {
        SandboxRecord rec = plain.none(req, n, netnsPath(req.containerId()));
        store.putSandbox(rec);
        try {
            kernel.netns().create(Path.of(rec.netnsPath()));
            kernel.links().apply(new LinkOp.SetUp(Path.of(rec.netnsPath()), "lo"));
        } catch (RuntimeException e) {
            failCleanup(rec, e);
            throw e;
        }
        return rec;
    }

    /**
     * The primary network is {@code n} (eth0, default route, published ports); further bridge
     * networks named in the request's endpoints join as eth1, eth2, … (docker run --network a --network b).
     */
    private SandboxRecord bridgeSandbox(SandboxRequest req, NetworkRecord n) {
        List<PortMapping> inUse = store.sandboxes().stream().flatMap(s -> s.ports().stream()).toList();
        PortAllocator.Resolved resolved = networks.driver(n).publishesPorts()
                ? ports.resolve(req.ports(), req.publishAll(), req.exposedPorts(), options.defaultBindIp(), inUse, n.subnet6() != null && !n.internal())
                : new PortAllocator.Resolved(List.of(), List.of());
        List<NetworkRecord> nets = new ArrayList<>(List.of(n));
        if (req.endpoints() != null) {
            for (String name : new java.util.TreeSet<>(req.endpoints().keySet())) {
                NetworkRecord extra = networks.find(name);
                if (nets.stream().noneMatch(x -> x.id().equals(extra.id()))) {
                    if (!BridgeNetworks.isBridge(extra)) {
                        throw BerthException.invalid("container cannot be connected to network %s (driver %s) together with %s", extra.name(), extra.driver(), n.name());
                    }
                    nets.add(extra);
                }
            }
        }
        List<EndpointRecord> eps = new ArrayList<>();
        try {
            for (NetworkRecord net : nets) {
                eps.add(endpoints.plan(req.containerId(), net, endpointRequest(req, net), "eth" + eps.size()));
            }
        } catch (RuntimeException e) {
            for (EndpointRecord ep : eps) {
                ipam.release(ep.networkId(), ep.ip());
                if (ep.ip6() != null) {
                    ipam6.release(ep.networkId(), ep.ip6());
                }
            }
            throw e;
        }
        EndpointRecord primary = eps.getFirst();
        Path ns = netnsPath(req.containerId());
        // User-defined networks get the embedded DNS server (container names), as in Docker.
        boolean embeddedDns = kernel.sockets() != null && nets.stream().anyMatch(x -> !BridgeNetworks.BRIDGE.equals(x.name()));
        String hostResolv = plain.hostResolvConf();
        List<String> upstreams = embeddedDns ? NetworkFiles.upstreams(hostResolv, req.dns()) : null;
        SandboxRecord rec = new SandboxRecord(req.containerId(), PlainSandboxes.name(req), Ids.newId(), "bridge", ns.toString(), true, eps,
                resolved.mappings(), resolved.unpublished(),
                NetworkFiles.hosts(NetworkFiles.DEFAULT_HOSTS, req.hostname(), req.domainname(), primary.ip(), req.extraHosts(), plain.defaultGateway()),
                embeddedDns ? NetworkFiles.embeddedResolvConf(hostResolv, req.dnsSearch(), req.dnsOptions())
                        : NetworkFiles.resolvConf(hostResolv, true, req.dns(), req.dnsSearch(), req.dnsOptions()),
                NetworkFiles.hostname(req.hostname()), upstreams);
        // Recorded before any kernel change, so a crash part-way is cleaned up on the next start.
        store.putSandbox(rec);
        try {
            kernel.netns().create(ns);
            for (int i = 0; i < eps.size(); i++) {
                endpoints.install(ns, nets.get(i), eps.get(i), i == 0);
            }
            endpoints.applyPorts(rec.containerId(), n, primary, rec.ports());
        } catch (RuntimeException e) {
            failCleanup(rec, e);
            throw e;
        }
        if (upstreams != null && !serveDns(rec)) {
            // Without the server, fall back to resolving through the host's nameservers directly.
            rec = new SandboxRecord(rec.containerId(), rec.containerName(), rec.sandboxId(), rec.mode(), rec.netnsPath(), rec.ownsNetns(),
                    rec.endpoints(), rec.ports(), rec.unpublished(), rec.hostsFile(),
                    NetworkFiles.resolvConf(hostResolv, true, req.dns(), req.dnsSearch(), req.dnsOptions()), rec.hostnameFile(), null);
            store.putSandbox(rec);
        }
        return rec;
    }

    private static EndpointRequest endpointRequest(SandboxRequest req, NetworkRecord n) {
        if (req.endpoints() == null) {
            return null;
        }
        EndpointRequest r = req.endpoints().get(n.name());
        return r != null ? r : req.endpoints().get(n.id());
    }

    private boolean serveDns(SandboxRecord s) {
        try {
            dns.serve(s.containerId(), Path.of(s.netnsPath()), s.dnsUpstreams());
            return true;
        } catch (java.io.IOException | RuntimeException e) {
            System.getLogger(BridgeNetworkService.class.getName()).log(System.Logger.Level.WARNING,
                    "embedded DNS for container " + s.containerId() + " not available: " + e.getMessage());
            return false;
        }
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

    private void failCleanup(SandboxRecord rec, RuntimeException e) {
        try {
            teardown(rec);
        } catch (RuntimeException suppressed) {
            e.addSuppressed(suppressed);
        }
    }

    @Override
    public void removeSandbox(String containerId) {
        lock.lock();
        try {
            store.sandbox(containerId).ifPresent(this::teardown);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes everything of a sandbox: port rules, veths, addresses, the namespace file, then the
     * record. Every step runs even if an earlier one failed; the record stays (and the first error
     * is thrown) if anything failed, so a retry can finish the job — all steps are idempotent.
     */
    private void teardown(SandboxRecord s) {
        dns.stop(s.containerId());
        List<RuntimeException> errors = new ArrayList<>();
        if (!s.endpoints().isEmpty()) {
            EndpointRecord primary = s.endpoints().getFirst();
            networkOf(primary).ifPresent(n -> step(errors, () -> endpoints.removePorts(s.containerId(), n, primary, s.ports())));
        }
        Path ns = s.netnsPath() == null ? null : Path.of(s.netnsPath());
        for (EndpointRecord ep : s.endpoints()) {
            step(errors, () -> endpoints.uninstall(ns, ep));
        }
        if (s.ownsNetns() && s.netnsPath() != null) {
            step(errors, () -> kernel.netns().delete(Path.of(s.netnsPath())));
        }
        if (!errors.isEmpty()) {
            RuntimeException first = errors.getFirst();
            errors.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
        store.deleteSandbox(s.containerId());
        peers.refresh(store.sandboxes());
    }

    private static void step(List<RuntimeException> errors, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            errors.add(e);
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
            store.sandbox(containerId).ifPresent(this::enableDnsAfterConnect);
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
                teardown(s);
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
     * A container on the default bridge that joins a user-defined network gets the embedded DNS
     * server, and its resolv.conf is rewritten to use it (as Docker does when the resolver starts).
     */
    private void enableDnsAfterConnect(SandboxRecord s) {
        boolean userNet = s.endpoints().stream().anyMatch(e -> e.ip() != null && !BridgeNetworks.BRIDGE.equals(e.networkName()));
        if (!userNet || s.dnsUpstreams() != null || kernel.sockets() == null || !"bridge".equals(s.mode())) {
            return;
        }
        String hostResolv = plain.hostResolvConf();
        List<String> current = NetworkFiles.nameservers(s.resolvConf());
        SandboxRecord withDns = new SandboxRecord(s.containerId(), s.containerName(), s.sandboxId(), s.mode(), s.netnsPath(), s.ownsNetns(),
                s.endpoints(), s.ports(), s.unpublished(), s.hostsFile(),
                NetworkFiles.embeddedResolvConf(s.resolvConf(), List.of(), NetworkFiles.options(s.resolvConf())),
                s.hostnameFile(), current.isEmpty() ? NetworkFiles.upstreams(hostResolv, null) : current);
        if (serveDns(withDns)) {
            store.putSandbox(withDns);
            files.resolvConfChanged(withDns.containerId(), withDns.resolvConf());
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

    private Path netnsPath(String containerId) {
        return netnsDir.resolve(Ids.shortId(containerId));
    }
}
