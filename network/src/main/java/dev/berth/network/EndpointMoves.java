package dev.berth.network;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Ids;
import dev.berth.network.NetworkRecords.EndpointRecord;
import dev.berth.network.NetworkRecords.NetworkRecord;
import dev.berth.network.NetworkRecords.SandboxRecord;
import dev.berth.network.NetworkService.Endpoint;
import dev.berth.network.NetworkService.EndpointRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Connecting a running container's sandbox to one more bridge network and disconnecting it.
 * Not thread-safe: {@link BridgeNetworkService} calls it under its lock.
 */
final class EndpointMoves {
    private final NetworkStore store;
    private final BridgeNetworks networks;
    private final Endpoints endpoints;

    EndpointMoves(NetworkStore store, BridgeNetworks networks, Endpoints endpoints) {
        this.store = store;
        this.networks = networks;
        this.endpoints = endpoints;
    }

    /** Adds an interface (eth1, eth2, …) on a driver network to a running container's own namespace. */
    Endpoint connect(String containerId, String network, EndpointRequest request) {
        SandboxRecord s = bridgeSandboxOf(containerId);
        NetworkRecord n = networks.find(network);
        if (!BridgeNetworks.isBridge(n)) {
            throw new BerthException(ErrorKind.FORBIDDEN, "container cannot be disconnected from host network or connected to host network");
        }
        if (s.endpoints().stream().anyMatch(e -> e.networkId().equals(n.id()))) {
            throw new BerthException(ErrorKind.FORBIDDEN, "endpoint with name %s already exists in network %s".formatted(Ids.shortId(containerId), n.name()));
        }
        int next = 0;
        while (true) {
            String candidate = "eth" + next;
            if (s.endpoints().stream().noneMatch(e -> candidate.equals(e.ifName()))) {
                break;
            }
            next++;
        }
        EndpointRecord ep = endpoints.plan(containerId, n, request, "eth" + next);
        List<EndpointRecord> eps = new ArrayList<>(s.endpoints());
        eps.add(ep);
        SandboxRecord updated = withEndpoints(s, eps);
        store.putSandbox(updated);
        try {
            endpoints.install(Path.of(s.netnsPath()), n, ep, s.endpoints().isEmpty());
            if (s.endpoints().isEmpty()) {
                endpoints.applyPorts(containerId, n, ep, s.ports());
            }
        } catch (RuntimeException e) {
            try {
                endpoints.uninstall(Path.of(s.netnsPath()), ep);
                store.putSandbox(s);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return SandboxViews.endpoint(updated, ep);
    }

    /**
     * Removes a container's interface on a network. If it carried the default route and the
     * published ports, the next interface takes both over.
     */
    void disconnect(String containerId, String network) {
        SandboxRecord s = bridgeSandboxOf(containerId);
        NetworkRecord n = networks.find(network);
        EndpointRecord ep = s.endpoints().stream().filter(e -> e.networkId().equals(n.id())).findFirst()
                .orElseThrow(() -> new BerthException(ErrorKind.FORBIDDEN, "container %s is not connected to network %s".formatted(containerId, n.name())));
        boolean primary = s.endpoints().getFirst().equals(ep);
        if (primary) {
            endpoints.removePorts(containerId, n, ep, s.ports());
        }
        endpoints.uninstall(Path.of(s.netnsPath()), ep);
        List<EndpointRecord> rest = new ArrayList<>(s.endpoints());
        rest.remove(ep);
        store.putSandbox(withEndpoints(s, rest));
        if (primary && !rest.isEmpty()) {
            EndpointRecord next = rest.getFirst();
            NetworkRecord nn = networkOf(next).orElseThrow();
            endpoints.routeVia(Path.of(s.netnsPath()), next);
            endpoints.applyPorts(containerId, nn, next, s.ports());
        }
    }

    private SandboxRecord bridgeSandboxOf(String containerId) {
        SandboxRecord s = store.sandbox(containerId)
                .orElseThrow(() -> BerthException.conflict("container %s is not running (it has no network sandbox)", containerId));
        switch (s.mode()) {
            case "bridge" -> { }
            case "host" -> throw new BerthException(ErrorKind.FORBIDDEN, "container cannot be disconnected from host network or connected to host network");
            case "none" -> throw new BerthException(ErrorKind.FORBIDDEN, "container cannot be connected to multiple networks with one of the networks in private (none) mode");
            default -> throw new BerthException(ErrorKind.FORBIDDEN, "container sharing network namespace with another container or host cannot be connected to any other network");
        }
        return s;
    }

    private static SandboxRecord withEndpoints(SandboxRecord s, List<EndpointRecord> eps) {
        return new SandboxRecord(s.containerId(), s.containerName(), s.sandboxId(), s.mode(), s.netnsPath(), s.ownsNetns(), List.copyOf(eps),
                s.ports(), s.unpublished(), s.hostsFile(), s.resolvConf(), s.hostnameFile(), s.dnsUpstreams());
    }

    private Optional<NetworkRecord> networkOf(EndpointRecord ep) {
        return networks.all().stream().filter(n -> n.id().equals(ep.networkId())).findFirst();
    }
}
