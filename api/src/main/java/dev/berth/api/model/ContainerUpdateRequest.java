package dev.berth.api.model;

/**
 * Body of {@code POST /containers/{id}/update}: the resource fields of {@link HostConfig} plus
 * {@code RestartPolicy}. Reusing HostConfig keeps one definition of those fields; fields that are
 * not resources are ignored by the backend.
 */
public record ContainerUpdateRequest(HostConfig resources) {}
