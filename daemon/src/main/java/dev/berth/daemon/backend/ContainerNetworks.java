package dev.berth.daemon.backend;

import dev.berth.api.model.NetworkingConfig;

/**
 * Connecting a container to a network and back, as the container manager does it (it records the
 * attachment in the container so that inspect shows it and a stopped container joins at next
 * start). {@link NetworkBackendImpl} calls this for {@code POST /networks/{id}/connect} and
 * {@code /disconnect}. Thread-safe.
 */
public interface ContainerNetworks {
    /** NOT_FOUND "No such container: x" for an unknown container. */
    void connect(String containerNameOrId, String networkNameOrId, NetworkingConfig.EndpointSettings settings);

    void disconnect(String containerNameOrId, String networkNameOrId, boolean force);
}
