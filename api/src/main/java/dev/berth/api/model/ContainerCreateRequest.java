package dev.berth.api.model;

/**
 * The body of {@code POST /containers/create}: a {@link ContainerConfig} with {@code HostConfig}
 * and {@code NetworkingConfig} embedded. The router reads the JSON once into all three parts.
 */
public record ContainerCreateRequest(
        String name, String platform, ContainerConfig config, HostConfig hostConfig, NetworkingConfig networkingConfig) {}
