package dev.berth.daemon.container;

import dev.berth.common.BerthException;
import dev.berth.daemon.config.DaemonConfig;
import dev.berth.daemon.logs.LogShippers;
import dev.berth.daemon.logs.LogTarget;
import dev.berth.image.ImageService;
import dev.berth.network.NetworkService;
import dev.berth.runtime.RuntimeDriver;
import dev.berth.volume.VolumeService;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The collaborators shared by the container engine's parts (one instance per daemon). Holds no
 * container state itself. Thread-safe.
 */
final class Engine {
    final DaemonConfig config;
    final ImageService images;
    final Map<String, RuntimeDriver> runtimes;
    final String defaultRuntime;
    final NetworkService network;
    final VolumeService volumes;
    final ContainerEvents events;
    final Clock clock;
    final ContainerStore store;
    final ContainerIndex index;
    /** Idmapped image layers for {@code --userns-remap}. */
    final UsernsRootfs userns;
    /** Blocking work (exit handling, restarts, health probes, pumps). */
    final ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor();
    /** Ships each container's output spool into its json-file log. */
    final LogShippers logs = new LogShippers(virtual);
    /** Timers only; tasks hand off to {@link #virtual} at once. */
    final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "berth-container-timers");
        t.setDaemon(true);
        return t;
    });

    Engine(DaemonConfig config, ImageService images, Map<String, RuntimeDriver> runtimes, String defaultRuntime,
           NetworkService network, VolumeService volumes, ContainerEvents events, Clock clock, ContainerStore store, ContainerIndex index,
           UsernsRootfs userns) {
        this.config = config;
        this.images = images;
        this.runtimes = Map.copyOf(runtimes);
        this.defaultRuntime = defaultRuntime;
        this.network = network;
        this.volumes = volumes;
        this.events = events;
        this.clock = clock;
        this.store = store;
        this.index = index;
        this.userns = userns;
    }

    RuntimeDriver driver(ContainerRecord rec) {
        String name = rec.runtime == null || rec.runtime.isEmpty() ? defaultRuntime : rec.runtime;
        RuntimeDriver d = runtimes.get(name);
        if (d == null) {
            throw BerthException.invalid("unknown or invalid runtime name: %s", name);
        }
        return d;
    }

    Path bundleDir(String id) {
        return config.execRoot().resolve("containers").resolve(id);
    }

    /** The container's logging: driver and json-file options. */
    LogSettings logSettings(ContainerRecord r) {
        return LogSettings.of(r.hostConfig.logConfig(), config.logDriver(), config.logOpts());
    }

    /** Where the container's output is spooled and logged. */
    LogTarget logTarget(ContainerRecord r) {
        return logSettings(r).target(driver(r), store, r);
    }

    String now() {
        return Times.rfc3339Nano(clock.instant());
    }

    void schedule(Runnable task, java.time.Duration delay) {
        timers.schedule(() -> virtual.execute(task), delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    static void quietly(String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            System.getLogger("berth.container").log(System.Logger.Level.WARNING, what + ": " + e.getMessage());
        }
    }
}
