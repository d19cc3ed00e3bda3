package dev.berth.daemon;

import dev.berth.api.backend.ContainerBackend;
import dev.berth.api.backend.ExecBackend;
import dev.berth.daemon.backend.ContainerNetworks;
import dev.berth.daemon.config.DaemonConfig;
import dev.berth.daemon.container.ContainerManager;
import dev.berth.daemon.events.EventPublisher;
import dev.berth.image.ImageService;
import dev.berth.network.NetworkService;
import dev.berth.runtime.RuntimeDriver;
import dev.berth.sys.mount.IdmapMounter;
import dev.berth.sys.mount.Mounter;
import dev.berth.volume.VolumeService;
import java.time.Clock;
import java.util.Map;

/**
 * The container subsystem as the composition root sees it: the container and exec backends, the
 * network attach hook, restore at start-up and close at shutdown.
 */
record Containers(ContainerBackend backend, ExecBackend exec, ContainerNetworks networks, Runnable restoreAction, Runnable closeAction) {

    static Containers create(DaemonConfig config, ImageService images, Map<String, RuntimeDriver> runtimes, String defaultRuntime,
            NetworkService network, VolumeService volumes, EventPublisher events, DaemonLog log, IdmapMounter idmap, Mounter mounter) {
        ContainerManager manager = new ContainerManager(config, images, runtimes, defaultRuntime, network, volumes, events, Clock.systemUTC(),
                idmap, mounter);
        return new Containers(manager, manager.execBackend(), manager.networks(), manager::restore, manager::shutdown);
    }

    void restore() {
        restoreAction.run();
    }

    void close() {
        closeAction.run();
    }
}
