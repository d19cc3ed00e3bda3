package dev.berth.network;

import dev.berth.common.BerthException;
import dev.berth.common.Ids;
import dev.berth.network.NetworkRecords.EndpointRecord;
import dev.berth.network.NetworkRecords.NetworkRecord;
import dev.berth.network.NetworkRecords.SandboxRecord;
import dev.berth.network.NetworkService.SandboxRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Sandbox records of the modes without a bridge endpoint: host (no namespace; host's files),
 * none (own namespace with only lo) and container:&lt;id&gt; (another container's namespace and
 * files). Builds records only; the service stores them and does the kernel work. Stateless.
 */
final class PlainSandboxes {
    private final BridgeOptions options;
    private final java.util.function.Supplier<String> bridgeGateway;

    /** @param bridgeGateway the default bridge's gateway (chosen at start when it comes from the address pools) */
    PlainSandboxes(BridgeOptions options, java.util.function.Supplier<String> bridgeGateway) {
        this.options = options;
        this.bridgeGateway = bridgeGateway;
    }

    SandboxRecord host(SandboxRequest req, NetworkRecord n) {
        String hosts = NetworkFiles.hosts(read(options.hostHosts()), null, null, null, req.extraHosts(), defaultGateway());
        // The host's loopback resolver is reachable with host networking, so nothing is filtered.
        String resolv = NetworkFiles.resolvConf(hostResolvConf(), false, req.dns(), req.dnsSearch(), req.dnsOptions());
        return new SandboxRecord(req.containerId(), name(req), Ids.newId(), "host", null, false,
                List.of(nullEndpoint(n)), List.of(), List.of(), hosts, resolv, NetworkFiles.hostname(req.hostname()), null);
    }

    SandboxRecord none(SandboxRequest req, NetworkRecord n, Path netns) {
        return new SandboxRecord(req.containerId(), name(req), Ids.newId(), "none", netns.toString(), true,
                List.of(nullEndpoint(n)), List.of(), List.of(),
                NetworkFiles.hosts(NetworkFiles.DEFAULT_HOSTS, req.hostname(), req.domainname(), null, req.extraHosts(), defaultGateway()),
                NetworkFiles.resolvConf(hostResolvConf(), true, req.dns(), req.dnsSearch(), req.dnsOptions()),
                NetworkFiles.hostname(req.hostname()), null);
    }

    /** Shares the other container's namespace and, as Docker does, its hosts/resolv.conf/hostname. */
    SandboxRecord join(SandboxRequest req, List<SandboxRecord> existing) {
        if (req.joinNetnsPath() == null || req.joinNetnsPath().isEmpty()) {
            throw BerthException.invalid("network mode %s needs the namespace path of the other container", req.networkMode());
        }
        Optional<SandboxRecord> other = existing.stream().filter(s -> req.joinNetnsPath().equals(s.netnsPath())).findFirst();
        String hosts = other.map(SandboxRecord::hostsFile).orElseGet(() ->
                NetworkFiles.hosts(NetworkFiles.DEFAULT_HOSTS, req.hostname(), req.domainname(), null, req.extraHosts(), defaultGateway()));
        String resolv = other.map(SandboxRecord::resolvConf).orElseGet(() ->
                NetworkFiles.resolvConf(hostResolvConf(), true, req.dns(), req.dnsSearch(), req.dnsOptions()));
        String hostname = other.map(SandboxRecord::hostnameFile).orElseGet(() -> NetworkFiles.hostname(req.hostname()));
        return new SandboxRecord(req.containerId(), name(req), Ids.newId(), "container", req.joinNetnsPath(), false,
                List.of(), List.of(), List.of(), hosts, resolv, hostname, null);
    }

    /** The container name without Docker's leading slash. */
    static String name(SandboxRequest req) {
        String n = req.containerName() == null ? "" : req.containerName();
        return n.startsWith("/") ? n.substring(1) : n;
    }

    String hostResolvConf() {
        return read(options.hostResolvConf());
    }

    /** What {@code host-gateway} means: --host-gateway-ip, else the default bridge's gateway, as Docker does. */
    String defaultGateway() {
        return options.hostGatewayIp() != null ? options.hostGatewayIp() : bridgeGateway.get();
    }

    private static EndpointRecord nullEndpoint(NetworkRecord n) {
        return new EndpointRecord(n.id(), n.name(), Ids.newId(), null, null, null, 0, null, null, List.of());
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            throw BerthException.internal("cannot read " + p, e);
        }
    }
}
