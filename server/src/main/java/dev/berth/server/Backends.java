package dev.berth.server;

import dev.berth.api.backend.ContainerBackend;
import dev.berth.api.backend.ExecBackend;
import dev.berth.api.backend.ImageBackend;
import dev.berth.api.backend.NetworkBackend;
import dev.berth.api.backend.SystemBackend;
import dev.berth.api.backend.VolumeBackend;
import java.util.Objects;

/** The backends the routers call; the daemon's composition root supplies implementations. */
public record Backends(
        ContainerBackend containers,
        ExecBackend exec,
        ImageBackend images,
        SystemBackend system,
        VolumeBackend volumes,
        NetworkBackend networks) {
    public Backends {
        Objects.requireNonNull(containers, "containers");
        Objects.requireNonNull(exec, "exec");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(volumes, "volumes");
        Objects.requireNonNull(networks, "networks");
    }
}
