package dev.berth.daemon;

import dev.berth.api.backend.ContainerBackend;
import dev.berth.api.backend.ExecBackend;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.daemon.backend.ContainerNetworks;
import dev.berth.daemon.config.DaemonConfig;
import dev.berth.daemon.events.EventPublisher;
import dev.berth.image.ImageService;
import dev.berth.network.NetworkService;
import dev.berth.runtime.RuntimeDriver;
import dev.berth.volume.VolumeService;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

/**
 * The container subsystem as the composition root sees it: the container and exec backends, the
 * network attach hook, restore at start-up and close at shutdown.
 */
record Containers(ContainerBackend backend, ExecBackend exec, ContainerNetworks networks, Runnable restoreAction, Runnable closeAction) {

    static Containers create(DaemonConfig config, ImageService images, Map<String, RuntimeDriver> runtimes, String defaultRuntime,
            NetworkService network, VolumeService volumes, EventPublisher events, DaemonLog log) {
        // TODO(integration): construct dev.berth.daemon.container.ContainerManager here once it lands.
        log.warn("container manager is not wired into this build: container and exec endpoints answer 501");
        return unavailable();
    }

    void restore() {
        restoreAction.run();
    }

    void close() {
        closeAction.run();
    }

    /** Container endpoints that say clearly that they are not available, while the rest of the daemon works. */
    static Containers unavailable() {
        InvocationHandler h = (proxy, method, args) -> {
            switch (method.getName()) {
                case "list" -> {
                    return List.of();
                }
                case "toString" -> {
                    return "unavailable container backend";
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                default -> throw new BerthException(ErrorKind.NOT_IMPLEMENTED,
                        "containers are not available in this berthd build (container manager not wired)");
            }
        };
        ClassLoader cl = Containers.class.getClassLoader();
        ContainerBackend cb = (ContainerBackend) Proxy.newProxyInstance(cl, new Class<?>[] {ContainerBackend.class}, h);
        ExecBackend eb = (ExecBackend) Proxy.newProxyInstance(cl, new Class<?>[] {ExecBackend.class}, h);
        return new Containers(cb, eb, null, () -> {}, () -> {});
    }
}
