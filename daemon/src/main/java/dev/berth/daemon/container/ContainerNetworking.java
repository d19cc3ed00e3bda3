package dev.berth.daemon.container;

import dev.berth.api.model.NetworkingConfig;
import dev.berth.common.BerthException;
import dev.berth.daemon.backend.ContainerNetworks;
import dev.berth.network.NetworkService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code docker network connect/disconnect}: records the attachment in the container's
 * NetworkingConfig (so a stopped container joins at its next start and inspect shows it) and, for
 * a running container, joins or leaves at once through the network service. Thread-safe.
 */
final class ContainerNetworking implements ContainerNetworks {
    private final Engine e;

    ContainerNetworking(Engine e) {
        this.e = e;
    }

    @Override
    public void connect(String containerNameOrId, String networkNameOrId, NetworkingConfig.EndpointSettings settings) {
        Container c = e.index.get(containerNameOrId);
        NetworkService.NetworkInfo net = e.network.network(networkNameOrId);
        c.locked(() -> {
            ContainerRecord r = c.rec;
            String mode = SandboxRequests.networkMode(r.hostConfig);
            if (mode.equals("host") || net.name().equals("host")) {
                throw BerthException.invalid("container cannot be disconnected from host network or connected to host network");
            }
            if (mode.equals("none") || mode.startsWith("container:")) {
                throw BerthException.invalid("container sharing network namespace with another container or host cannot be connected to any other network");
            }
            Map<String, NetworkingConfig.EndpointSettings> eps = endpoints(r);
            if (eps.containsKey(net.name())) { // an empty map may mean "primary disconnected" (compose v1 reconnects it with aliases); a running container's live endpoints are checked by the network layer
                throw BerthException.conflict("endpoint with name %s already exists in network %s", r.shortName(), net.name());
            }
            if (eps.isEmpty()) {
                eps.put(mode, emptySettings());
            }
            eps.put(net.name(), settings == null ? emptySettings() : settings);
            if (r.state.running && !r.state.restarting) {
                String v4 = settings != null && settings.ipamConfig() != null ? settings.ipamConfig().ipv4Address() : null;
                String v6 = settings != null && settings.ipamConfig() != null ? settings.ipamConfig().ipv6Address() : null;
                e.network.connect(r.id, net.name(), new NetworkService.EndpointRequest(v4, v6,
                        settings == null || settings.aliases() == null ? List.of() : settings.aliases(),
                        settings == null ? null : settings.macAddress(),
                        settings == null || settings.driverOpts() == null ? Map.of() : settings.driverOpts()));
            }
            r.networkingConfig = new NetworkingConfig(eps);
            e.store.save(r);
        });
    }

    @Override
    public void disconnect(String containerNameOrId, String networkNameOrId, boolean force) {
        Container c = e.index.get(containerNameOrId);
        NetworkService.NetworkInfo net = e.network.network(networkNameOrId);
        c.locked(() -> {
            ContainerRecord r = c.rec;
            String mode = SandboxRequests.networkMode(r.hostConfig);
            Map<String, NetworkingConfig.EndpointSettings> eps = endpoints(r);
            boolean attached = eps.containsKey(net.name()) || (eps.isEmpty() && mode.equals(net.name()));
            if (!attached && !force) {
                throw BerthException.invalid("container %s is not connected to network %s", r.id, net.name());
            }
            if (eps.isEmpty()) {
                eps.put(mode, emptySettings());
            }
            eps.remove(net.name());
            if (r.state.running && !r.state.restarting) {
                e.network.disconnect(r.id, net.name(), force);
            }
            r.networkingConfig = new NetworkingConfig(eps);
            e.store.save(r);
        });
    }

    private static Map<String, NetworkingConfig.EndpointSettings> endpoints(ContainerRecord r) {
        Map<String, NetworkingConfig.EndpointSettings> eps = new LinkedHashMap<>();
        if (r.networkingConfig != null && r.networkingConfig.endpointsConfig() != null) {
            eps.putAll(r.networkingConfig.endpointsConfig());
        }
        return eps;
    }

    private static NetworkingConfig.EndpointSettings emptySettings() {
        return new NetworkingConfig.EndpointSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
