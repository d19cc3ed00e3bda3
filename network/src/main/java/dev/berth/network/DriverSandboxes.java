package dev.berth.network;

import dev.berth.common.BerthException;
import dev.berth.common.Ids;
import dev.berth.network.NetworkRecords.EndpointRecord;
import dev.berth.network.NetworkRecords.NetworkRecord;
import dev.berth.network.NetworkRecords.SandboxRecord;
import dev.berth.network.NetworkService.EndpointRequest;
import dev.berth.network.NetworkService.SandboxRequest;
import dev.berth.sys.net.LinkOp;
import dev.berth.sys.net.NetKernel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sandboxes with a namespace of their own: "none" (only lo) and sandboxes on driver networks
 * (endpoints through {@link NetworkDriver}s, published ports, the embedded DNS), and their
 * teardown. Records before it touches the kernel, so a crash part-way is cleaned up at the next
 * start. Not thread-safe: {@link BridgeNetworkService} calls it under its lock.
 */
final class DriverSandboxes {
    private final NetworkStore store;
    private final Ipam ipam;
    private final Ipam6 ipam6;
    private final NetKernel kernel;
    private final BridgeNetworks networks;
    private final PortAllocator ports;
    private final Endpoints endpoints;
    private final PlainSandboxes plain;
    private final EmbeddedDns dns;
    private final PeerResolver peers;
    private final SandboxFiles files;
    private final BridgeOptions options;
    private final Path netnsDir;

    DriverSandboxes(NetworkStore store, Ipam ipam, Ipam6 ipam6, NetKernel kernel, BridgeNetworks networks, PortAllocator ports,
                    Endpoints endpoints, PlainSandboxes plain, EmbeddedDns dns, PeerResolver peers, SandboxFiles files,
                    BridgeOptions options, Path netnsDir) {
        this.store = store;
        this.ipam = ipam;
        this.ipam6 = ipam6;
        this.kernel = kernel;
        this.networks = networks;
        this.ports = ports;
        this.endpoints = endpoints;
        this.plain = plain;
        this.dns = dns;
        this.peers = peers;
        this.files = files;
        this.options = options;
        this.netnsDir = netnsDir;
    }

    SandboxRecord noneSandbox(SandboxRequest req, NetworkRecord n) {
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
    SandboxRecord bridgeSandbox(SandboxRequest req, NetworkRecord n) {
        // Reading every sandbox record is only needed to pick free host ports.
        boolean publishing = req.publishAll() || (req.ports() != null && !req.ports().isEmpty());
        List<PortMapping> inUse = publishing ? store.sandboxes().stream().flatMap(s -> s.ports().stream()).toList() : List.of();
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
                NetworkFiles.hosts(NetworkFiles.DEFAULT_HOSTS, req.hostname(), req.domainname(), primary.ip(), primary.ip6(), req.extraHosts(),
                        plain.defaultGateway()),
                embeddedDns ? NetworkFiles.embeddedResolvConf(hostResolv, req.dnsSearch(), req.dnsOptions())
                        : NetworkFiles.resolvConf(hostResolv, true, req.dns(), req.dnsSearch(), req.dnsOptions()),
                NetworkFiles.hostname(req.hostname()), upstreams);
        // Recorded before any kernel change, so a crash part-way is cleaned up on the next start.
        store.putSandbox(rec);
        try {
            // The NAT rules of published ports need neither the namespace nor the links: install them
            // concurrently (iptables and ip are separate processes; each spawn is most of a step's cost).
            final SandboxRecord r0 = rec;
            Concurrently.run(() -> endpoints.applyPorts(r0.containerId(), n, primary, r0.ports()), () -> {
                kernel.netns().create(ns);
                for (int i = 0; i < eps.size(); i++) {
                    endpoints.install(ns, nets.get(i), eps.get(i), i == 0);
                }
            });
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

    boolean serveDns(SandboxRecord s) {
        try {
            dns.serve(s.containerId(), Path.of(s.netnsPath()), s.dnsUpstreams());
            return true;
        } catch (java.io.IOException | RuntimeException e) {
            System.getLogger(BridgeNetworkService.class.getName()).log(System.Logger.Level.WARNING,
                    "embedded DNS for container " + s.containerId() + " not available: " + e.getMessage());
            return false;
        }
    }

    private void failCleanup(SandboxRecord rec, RuntimeException e) {
        try {
            teardown(rec);
        } catch (RuntimeException suppressed) {
            e.addSuppressed(suppressed);
        }
    }

    /**
     * Removes everything of a sandbox: port rules, veths, addresses, the namespace file, then the
     * record. Every step runs even if an earlier one failed; the record stays (and the first error
     * is thrown) if anything failed, so a retry can finish the job — all steps are idempotent.
     */
    void teardown(SandboxRecord s) {
        dns.stop(s.containerId());
        List<RuntimeException> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        // Port rules (iptables) and links/namespace (ip, umount) are independent: removed concurrently.
        Runnable ports = () -> {
            if (!s.endpoints().isEmpty() && !s.ports().isEmpty()) {
                EndpointRecord primary = s.endpoints().getFirst();
                networkOf(primary).ifPresent(n -> step(errors, () -> endpoints.removePorts(s.containerId(), n, primary, s.ports())));
            }
        };
        Runnable links = () -> {
            Path ns = s.netnsPath() == null ? null : Path.of(s.netnsPath());
            for (EndpointRecord ep : s.endpoints()) {
                step(errors, () -> endpoints.uninstall(ns, ep));
            }
            if (s.ownsNetns() && s.netnsPath() != null) {
                step(errors, () -> kernel.netns().delete(Path.of(s.netnsPath())));
            }
        };
        Concurrently.run(ports, links);
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

    /**
     * A container on the default bridge that joins a user-defined network gets the embedded DNS
     * server, and its resolv.conf is rewritten to use it (as Docker does when the resolver starts).
     */
    void enableDnsAfterConnect(SandboxRecord s) {
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


    private Optional<NetworkRecord> networkOf(EndpointRecord ep) {
        return networks.all().stream().filter(n -> n.id().equals(ep.networkId())).findFirst();
    }

    Path netnsPath(String containerId) {
        return netnsDir.resolve(Ids.shortId(containerId));
    }
}
