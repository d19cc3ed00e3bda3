package dev.berth.daemon.backend;

import dev.berth.api.backend.NetworkBackend;
import dev.berth.api.model.ContainerSummary;
import dev.berth.api.model.NetworkConnectRequest;
import dev.berth.api.model.NetworkCreateRequest;
import dev.berth.api.model.NetworkResource;
import dev.berth.api.model.NetworkingConfig;
import dev.berth.api.model.PruneReport;
import dev.berth.common.BerthException;
import dev.berth.common.Filters;
import dev.berth.daemon.events.EventPublisher;
import dev.berth.network.NetworkService;
import dev.berth.network.NetworkService.Endpoint;
import dev.berth.network.NetworkService.NetworkInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@link NetworkBackend} over the {@link NetworkService}: Docker's list/inspect shapes and
 * filters; create/remove delegate to the service; connect/disconnect go through the container
 * manager ({@link ContainerNetworks}) when one is wired, else straight to the service for the
 * resolved container (running containers only then). Thread-safe.
 */
public final class NetworkBackendImpl implements NetworkBackend {
    private static final Set<String> LIST_KEYS = Set.of("name", "id", "driver", "type", "label", "scope", "dangling");
    private static final Set<String> PRUNE_KEYS = Set.of("label", "label!", "until");
    private static final Set<String> PREDEFINED = Set.of("bridge", "host", "none");

    private final NetworkService networks;
    private final ContainerUsage usage;
    private final EventPublisher events;
    private volatile ContainerNetworks containerNetworks;

    public NetworkBackendImpl(NetworkService networks, ContainerUsage usage, EventPublisher events, ContainerNetworks containerNetworks) {
        this.networks = networks;
        this.usage = usage;
        this.events = events;
        this.containerNetworks = containerNetworks;
    }

    /** Wires the container manager after construction (it may itself need this backend's collaborators). */
    public void setContainerNetworks(ContainerNetworks cn) {
        this.containerNetworks = cn;
    }

    @Override
    public NetworkResource create(NetworkCreateRequest r) {
        if (r.name() == null || r.name().isBlank()) {
            throw BerthException.invalid("network name must not be empty");
        }
        List<NetworkService.IpamPool> pools = new ArrayList<>();
        if (r.ipam() != null && r.ipam().config() != null) {
            for (NetworkResource.IpamConfig c : r.ipam().config()) {
                pools.add(new NetworkService.IpamPool(c.subnet(), c.ipRange(), c.gateway()));
            }
        }
        String driver = r.driver() == null || r.driver().isEmpty() ? "bridge" : r.driver();
        NetworkInfo n = networks.createNetwork(new NetworkService.NetworkSpec(r.name(), driver, r.internal(), r.attachable(),
                Boolean.TRUE.equals(r.enableIpv6()), pools, r.options() == null ? Map.of() : r.options(),
                r.labels() == null ? Map.of() : r.labels()));
        events.publish("network", "create", n.id(), Map.of("name", n.name(), "type", n.driver()));
        return toApi(n, false);
    }

    @Override
    public List<NetworkResource> list(Filters filters) {
        Filters f = (filters == null ? Filters.NONE : filters).validate(LIST_KEYS);
        for (String t : f.get("type")) {
            if (!t.equals("custom") && !t.equals("builtin")) {
                throw BerthException.invalid("invalid filter: 'type'='%s'", t);
            }
        }
        Boolean dangling = f.has("dangling") ? ImageFilters.parseBool(f.get("dangling")) : null;
        List<NetworkResource> out = new ArrayList<>();
        for (NetworkInfo n : networks.networks()) {
            if (!matches(f.get("name"), n.name()) || !matches(f.get("id"), n.id())) {
                continue;
            }
            if (!f.get("driver").isEmpty() && !f.get("driver").contains(n.driver())) {
                continue;
            }
            if (!f.get("scope").isEmpty() && !f.get("scope").contains(scope(n))) {
                continue;
            }
            String type = PREDEFINED.contains(n.name()) ? "builtin" : "custom";
            if (!f.get("type").isEmpty() && !f.get("type").contains(type)) {
                continue;
            }
            if (!ImageFilters.labelsMatch(f, n.labels() == null ? Map.of() : n.labels())) {
                continue;
            }
            if (dangling != null) {
                boolean unused = !PREDEFINED.contains(n.name()) && (n.endpointsByContainer() == null || n.endpointsByContainer().isEmpty());
                if (dangling != unused) {
                    continue;
                }
            }
            out.add(toApi(n, false));
        }
        return out;
    }

    /** Docker's {@code filters.Match}: exact, or the value as a regular expression found in the source. */
    private static boolean matches(Set<String> wanted, String source) {
        if (wanted.isEmpty()) {
            return true;
        }
        for (String w : wanted) {
            if (w.equals(source)) {
                return true;
            }
            try {
                if (Pattern.compile(w).matcher(source).find()) {
                    return true;
                }
            } catch (PatternSyntaxException e) {
                // not a regex: only the exact match counts
            }
        }
        return false;
    }

    @Override
    public NetworkResource inspect(String nameOrId, boolean verbose) {
        return toApi(networks.network(nameOrId), true);
    }

    @Override
    public void remove(String nameOrId) {
        NetworkInfo n = networks.network(nameOrId);
        networks.removeNetwork(n.id());
        events.publish("network", "destroy", n.id(), Map.of("name", n.name(), "type", n.driver()));
    }

    @Override
    public void connect(String nameOrId, NetworkConnectRequest request) {
        NetworkInfo n = networks.network(nameOrId);
        NetworkingConfig.EndpointSettings es = request.endpointConfig();
        ContainerNetworks cn = containerNetworks;
        String containerId;
        if (cn != null) {
            cn.connect(request.container(), n.id(), es);
            containerId = resolveContainer(request.container()).id();
        } else {
            ContainerSummary c = resolveContainer(request.container());
            containerId = c.id();
            if (!"running".equals(c.state())) {
                throw BerthException.conflict("container %s is not running: connecting stopped containers needs the container manager", request.container());
            }
            NetworkingConfig.EndpointIpamConfig ipam = es == null ? null : es.ipamConfig();
            networks.connect(containerId, n.id(), new NetworkService.EndpointRequest(
                    ipam == null ? null : ipam.ipv4Address(), ipam == null ? null : ipam.ipv6Address(),
                    es == null ? null : es.aliases(), es == null ? null : es.macAddress(), es == null ? null : es.driverOpts()));
        }
        events.publish("network", "connect", n.id(), Map.of("container", containerId, "name", n.name(), "type", n.driver()));
    }

    @Override
    public void disconnect(String nameOrId, NetworkConnectRequest request) {
        NetworkInfo n = networks.network(nameOrId);
        ContainerNetworks cn = containerNetworks;
        String containerId;
        if (cn != null) {
            containerId = resolveContainer(request.container()).id();
            cn.disconnect(request.container(), n.id(), request.force());
        } else {
            containerId = resolveContainer(request.container()).id();
            networks.disconnect(containerId, n.id(), request.force());
        }
        events.publish("network", "disconnect", n.id(), Map.of("container", containerId, "name", n.name(), "type", n.driver()));
    }

    @Override
    public PruneReport prune(Filters filters) {
        Filters f = (filters == null ? Filters.NONE : filters).validate(PRUNE_KEYS);
        Instant now = Instant.now();
        List<Object> deleted = new ArrayList<>();
        for (NetworkInfo n : networks.networks()) {
            if (PREDEFINED.contains(n.name()) || (n.endpointsByContainer() != null && !n.endpointsByContainer().isEmpty())) {
                continue;
            }
            if (!ImageFilters.labelsMatch(f, n.labels() == null ? Map.of() : n.labels())) {
                continue;
            }
            boolean tooNew = false;
            for (String u : f.get("until")) {
                if (!FilterTimes.ofRfc3339(n.created()).isBefore(FilterTimes.parse(u, now))) {
                    tooNew = true;
                }
            }
            if (tooNew) {
                continue;
            }
            try {
                networks.removeNetwork(n.id());
            } catch (BerthException e) {
                continue;
            }
            deleted.add(n.name());
            events.publish("network", "destroy", n.id(), Map.of("name", n.name(), "type", n.driver()));
        }
        events.publish("network", "prune", "", Map.of("reclaimed", "0"));
        return new PruneReport(deleted, 0);
    }

    /** Full id, name (with or without slash) or unique id prefix, as dockerd resolves containers. */
    private ContainerSummary resolveContainer(String nameOrId) {
        List<ContainerSummary> all = usage.containers();
        String name = nameOrId.startsWith("/") ? nameOrId : "/" + nameOrId;
        for (ContainerSummary c : all) {
            if (c.id().equals(nameOrId) || (c.names() != null && c.names().contains(name))) {
                return c;
            }
        }
        ContainerSummary found = null;
        for (ContainerSummary c : all) {
            if (c.id().startsWith(nameOrId)) {
                if (found != null) {
                    throw BerthException.invalid("multiple IDs found with provided prefix: %s", nameOrId);
                }
                found = c;
            }
        }
        if (found == null) {
            throw BerthException.notFound("No such container: %s", nameOrId);
        }
        return found;
    }

    private static String scope(NetworkInfo n) {
        return n.scope() == null || n.scope().isEmpty() ? "local" : n.scope();
    }

    NetworkResource toApi(NetworkInfo n, boolean withContainers) {
        List<NetworkResource.IpamConfig> cfg = new ArrayList<>();
        if (n.ipam() != null) {
            for (NetworkService.IpamPool p : n.ipam()) {
                cfg.add(new NetworkResource.IpamConfig(p.subnet(), p.ipRange(), p.gateway(), null));
            }
        }
        Map<String, NetworkResource.EndpointResource> containers = new LinkedHashMap<>();
        if (withContainers && n.endpointsByContainer() != null) {
            for (var e : n.endpointsByContainer().entrySet()) {
                Endpoint ep = e.getValue();
                containers.put(e.getKey(), new NetworkResource.EndpointResource(
                        usage.nameOf(e.getKey()), ep.endpointId(), ep.macAddress() == null ? "" : ep.macAddress(),
                        ep.ipv4Address() == null || ep.ipv4Address().isEmpty() ? "" : ep.ipv4Address() + "/" + ep.ipv4PrefixLen(),
                        ep.ipv6Address() == null || ep.ipv6Address().isEmpty() ? "" : ep.ipv6Address() + "/" + ep.ipv6PrefixLen()));
            }
        }
        return new NetworkResource(n.name(), n.id(), n.created(), scope(n), n.driver(), true, n.enableIpv6(),
                new NetworkResource.Ipam("default", cfg, Map.of()), n.internal(), n.attachable(), false, false,
                containers, n.options() == null ? Map.of() : n.options(), n.labels() == null ? Map.of() : n.labels());
    }
}
