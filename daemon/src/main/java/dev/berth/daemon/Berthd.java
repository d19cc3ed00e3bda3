package dev.berth.daemon;

import dev.berth.api.backend.ArchiveBackend;
import dev.berth.api.backend.BuildBackend;
import dev.berth.api.backend.CommitBackend;
import dev.berth.api.backend.ContainerBackend;
import dev.berth.api.backend.ExecBackend;
import dev.berth.api.backend.ImageBackend;
import dev.berth.api.backend.NetworkBackend;
import dev.berth.api.backend.SystemBackend;
import dev.berth.api.backend.VolumeBackend;
import dev.berth.common.BerthException;
import dev.berth.daemon.backend.ContainerUsage;
import dev.berth.daemon.budget.BudgetConfig;
import dev.berth.daemon.budget.StorageBudget;
import dev.berth.daemon.build.BuildModule;
import dev.berth.daemon.files.FilesModule;
import dev.berth.daemon.backend.ImageBackendImpl;
import dev.berth.daemon.backend.NetworkBackendImpl;
import dev.berth.daemon.backend.VolumeBackendImpl;
import dev.berth.daemon.config.DaemonConfig;
import dev.berth.daemon.config.DaemonOptions;
import dev.berth.daemon.config.RemapIdentity;
import dev.berth.daemon.events.EventBus;
import dev.berth.daemon.system.HostFacts;
import dev.berth.daemon.system.RuntimeInventory;
import dev.berth.daemon.system.SystemService;
import dev.berth.http.Listener;
import dev.berth.image.ImageService;
import dev.berth.image.LocalImageService;
import dev.berth.network.BridgeNetworkService;
import dev.berth.network.BridgeOptions;
import dev.berth.network.NetworkService;
import dev.berth.runtime.ConmonRuntimeDriver;
import dev.berth.runtime.HostInfo;
import dev.berth.runtime.OciSpecBuilder;
import dev.berth.runtime.RuntimeDetector;
import dev.berth.runtime.SeccompProfiles;
import dev.berth.runtime.RuntimeDriver;
import dev.berth.server.ApiServer;
import dev.berth.server.ArchiveRouter;
import dev.berth.server.Backends;
import dev.berth.server.BuildRouter;
import dev.berth.sys.cgroup.Cgroups;
import dev.berth.sys.fs.FileSpace;
import dev.berth.sys.mount.LinuxIdmapMounter;
import dev.berth.sys.mount.LinuxMounter;
import dev.berth.sys.net.NetKernel;
import dev.berth.sys.proc.ProcFs;
import dev.berth.sys.proc.ProcessLauncher;
import dev.berth.volume.LocalVolumeService;
import dev.berth.volume.SysVolumeMounter;
import dev.berth.volume.VolumeService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * {@code berthd}: the composition root. Parses options, claims the pid file, builds every
 * component once (no DI framework, no singletons), starts the API listeners, then restores
 * containers concurrently. SIGTERM/SIGINT stop the listeners and close the stores but leave
 * containers running: they live under conmon and are re-adopted at next start.
 */
public final class Berthd {
    private final DaemonConfig config;
    private final Path configFile;
    private final List<String> warnings;
    private final DaemonLog log;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private PidFile pidFile;
    private ApiServer server;
    private Containers containers;
    private StorageBudget budget;

    Berthd(DaemonConfig config, Path configFile, List<String> warnings, DaemonLog log) {
        this.config = config;
        this.configFile = configFile;
        this.warnings = warnings;
        this.log = log;
    }

    public static void main(String[] args) {
        DaemonOptions.Parsed parsed;
        try {
            parsed = DaemonOptions.parse(args);
        } catch (BerthException e) {
            System.err.println("berthd: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (parsed.printAndExit() != null) {
            System.out.print(parsed.printAndExit());
            return;
        }
        if (parsed.validateOnly()) {
            // dockerd --validate: had the configuration been wrong, parse() would have failed above
            System.err.println("configuration OK");
            return;
        }
        DaemonLog log = new DaemonLog(System.err, parsed.config().logLevel());
        Berthd d = new Berthd(parsed.config(), parsed.configFile(), parsed.warnings(), log);
        try {
            d.start();
        } catch (BerthException e) {
            log.log(DaemonLog.Level.FATAL, "failed to start daemon: " + e.getMessage());
            d.shutdown();
            System.exit(1);
        } catch (RuntimeException e) {
            log.error("failed to start daemon", e);
            d.shutdown();
            System.exit(1);
        }
        d.installSignalHandlers();
        try {
            d.stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.exit(0);
    }

    void start() {
        long t0 = System.nanoTime();
        log.info("Starting up berthd " + DaemonOptions.VERSION);
        warnings.forEach(log::warn);
        ProcFs proc = ProcFs.host();
        createDirectories();
        pidFile = PidFile.claim(config.pidFile(), proc);

        // Listen first: the routers get deferred backends that wait for the real ones, so the
        // socket is up in a few hundred milliseconds and early clients wait instead of failing.
        CompletableFuture<ContainerBackend> containerF = new CompletableFuture<>();
        CompletableFuture<ExecBackend> execF = new CompletableFuture<>();
        CompletableFuture<ImageBackend> imageF = new CompletableFuture<>();
        CompletableFuture<SystemBackend> systemF = new CompletableFuture<>();
        CompletableFuture<VolumeBackend> volumeF = new CompletableFuture<>();
        CompletableFuture<NetworkBackend> networkF = new CompletableFuture<>();
        CompletableFuture<ArchiveBackend> archiveF = new CompletableFuture<>();
        CompletableFuture<BuildBackend> buildF = new CompletableFuture<>();
        CompletableFuture<CommitBackend> commitF = new CompletableFuture<>();
        CompletableFuture<dev.berth.daemon.distribution.RegistryImageTransfer> registryF = new CompletableFuture<>();
        List<CompletableFuture<?>> all = List.of(containerF, execF, imageF, systemF, volumeF, networkF, archiveF, buildF, commitF, registryF);
        Backends deferred = new Backends(Deferred.of(ContainerBackend.class, containerF), Deferred.of(ExecBackend.class, execF),
                Deferred.of(ImageBackend.class, imageF), Deferred.of(SystemBackend.class, systemF),
                Deferred.of(VolumeBackend.class, volumeF), Deferred.of(NetworkBackend.class, networkF));
        ArchiveBackend archive = Deferred.of(ArchiveBackend.class, archiveF);
        BuildBackend build = Deferred.of(BuildBackend.class, buildF);
        CommitBackend commit = Deferred.of(CommitBackend.class, commitF);
        List<Listener> listeners = listeners();
        var socketGroup = SocketGroup.resolve(config.engine().socketGroup(), config.engine().socketGroupExplicit(),
                dev.berth.daemon.config.EngineSettings.DEFAULT_GROUP, log::warn,
                listeners.stream().filter(l -> l instanceof Listener.Unix).map(l -> ((Listener.Unix) l).path().toString()).findFirst().orElse(""));
        server = new ApiServer(deferred, listeners, DaemonOptions.VERSION, r -> {
            new ArchiveRouter(archive).register(r);
            BuildRouter.register(r, commit, build);
            dev.berth.daemon.distribution.RegistryImageTransfer.routes(registryF).accept(r);
        });
        server.start();
        for (Listener l : listeners) {
            if (l instanceof Listener.Unix u) {
                SocketGroup.apply(u.path(), socketGroup);
            }
        }
        log.info("API listen on " + String.join(", ", config.hosts()) + " (after " + ms(t0) + " ms)");

        try {
            EventBus events = new EventBus();
            ProcessLauncher launcher = ProcessLauncher.system();
            RuntimeInventory inventory = new RuntimeInventory(launcher);
            NetworkService network = new BridgeNetworkService(config.dataRoot(), config.execRoot(), bridgeOptions(), NetKernel.linux());
            if (config.networkDefaults().userlandProxy()) {
                log.debug("userland-proxy=true is accepted but Berth never runs a userland proxy: published ports are iptables DNAT "
                        + "rules, also for connections from the host's loopback");
            }
            // Independent start-up work runs side by side: network rules, runtime probing, the image store's recovery.
            CompletableFuture<Void> networkStarted = CompletableFuture.runAsync(network::start, VIRTUAL);
            CompletableFuture<Map<String, RuntimeDriver>> runtimesF = CompletableFuture.supplyAsync(() -> runtimeDrivers(inventory, proc), VIRTUAL);
            CompletableFuture<String> defaultRuntimeF = CompletableFuture.supplyAsync(() -> chooseDefaultRuntime(launcher), VIRTUAL);
            ImageService images = new LocalImageService(config.dataRoot());
            VolumeService volumes = new LocalVolumeService(config.dataRoot(), new SysVolumeMounter(new LinuxMounter(proc)));
            log.debug("stores ready after " + ms(t0) + " ms");
            Map<String, RuntimeDriver> runtimes = runtimesF.join();
            String defaultRuntime = defaultRuntimeF.join();
            if (!runtimes.containsKey(defaultRuntime)) {
                throw BerthException.unavailable("default runtime %s could not be set up (usable: %s)", defaultRuntime, runtimes.keySet());
            }
            log.info("OCI runtimes: " + runtimes.keySet() + ", default " + defaultRuntime);

            RemapIdentity.prepare(config.usernsRemap(), Path.of("/etc"), launcher);
            if (config.usernsRemapped()) {
                RemapIdentity.checkTraversable(config.dataRoot(), config.execRoot());
            }
            LinuxIdmapMounter idmap = new LinuxIdmapMounter(launcher);
            containers = Containers.create(config, images, runtimes, defaultRuntime, network, volumes, events, log,
                    idmap, new LinuxMounter(proc));
            ContainerUsage usage = ContainerUsage.of(containers.backend());
            var registry = registryTransfer(images, events);
            registryF.complete(registry);
            ImageBackendImpl imageBackend = new ImageBackendImpl(images, usage, events, config.dataRoot(), registry);
            VolumeBackendImpl volumeBackend = new VolumeBackendImpl(volumes, usage, events);
            NetworkBackendImpl networkBackend = new NetworkBackendImpl(network, usage, events, containers.networks());
            List<String> infoWarnings = new ArrayList<>();
            for (String h : config.hosts()) {
                if (h.startsWith("tcp://") && !config.tls()) {
                    infoWarnings.add("WARNING: API is accessible on http://" + h.substring(6) + " without encryption.\n"
                            + "         Access to the remote API is equivalent to root access on the host.");
                }
            }
            String engineId = engineId();
            BuildModule buildModule = BuildModule.create(config.dataRoot(), images, containers.backend(), imageBackend, events,
                    dev.berth.daemon.config.RemapMappings.of(config));
            SystemService system = new SystemService(config, engineId, defaultRuntime, images, imageBackend, volumeBackend, usage,
                    events, HostFacts.host(), inventory, infoWarnings);
            system.setBuildCache(buildModule::buildCacheEntries);
            // The default bridge and base rules must exist before any container starts.
            networkStarted.join();
            log.debug("network started after " + ms(t0) + " ms");
            budget = StorageBudget.create(BudgetConfig.read(configFile), config.dataRoot(), images, usage::containers, events, log::info);
            imageBackend.setOnImagesAdded(budget::changed);
            FilesModule files = FilesModule.create(containers.backend(), images, new LinuxMounter(proc), config.execRoot(), events,
                    dev.berth.daemon.config.RemapMappings.of(config), idmap);
            systemF.complete(system);
            volumeF.complete(volumeBackend);
            networkF.complete(networkBackend);
            // The budget checks soon after anything that adds images (import/load/pull above, build and commit here).
            buildF.complete(NotifyingBackends.build(buildModule.build(), budget::changed));
            commitF.complete(NotifyingBackends.commit(buildModule.commit(), budget::changed));
            // Like dockerd, container requests are answered only after restore: a client that
            // reconnects after a daemon restart must see the containers that survived it.
            try {
                containers.restore();
            } catch (RuntimeException e) {
                log.error("restoring containers failed", e);
            }
            // only now: before restore no container is known, and every image would look unused (to
            // `docker rmi` and to the budget alike)
            imageF.complete(imageBackend);
            budget.start();
            containerF.complete(containers.backend());
            execF.complete(containers.exec());
            archiveF.complete(files.archive());
            log.info("Daemon has completed initialization (" + ms(t0) + " ms)");
            Thread.ofVirtual().name("berth-warmup").start(() -> {
                // Warm the version cache so the first `docker version` does not pay for it.
                inventory.version("conmon");
                runtimes.keySet().forEach(inventory::version);
            });
        } catch (RuntimeException e) {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            all.forEach(f -> f.completeExceptionally(cause));
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /** The network module's options from --bip, --ip, --mtu, --fixed-cidr, --icc, --ip-masq, pools, DNS defaults. */
    private BridgeOptions bridgeOptions() {
        return dev.berth.daemon.config.BridgeSettings.of(config);
    }

    /** Pull and push with dockerd's --max-concurrent-downloads/--max-concurrent-uploads (defaults 3 and 5). */
    private dev.berth.daemon.distribution.RegistryImageTransfer registryTransfer(ImageService images, EventBus events) {
        if (!(images instanceof LocalImageService local)) {
            throw new IllegalArgumentException("registry transfers need the local image store, not " + images.getClass().getName());
        }
        Path root = config.dataRoot().resolve("distribution");
        Path ingest = root.resolve("ingest");
        var dist = new dev.berth.distribution.DistributionService(
                dev.berth.distribution.DistributionService.configFrom(config.insecureRegistries(), config.registryMirrors()), ingest,
                config.engine().maxConcurrentDownloads(), config.engine().maxConcurrentUploads(), config.engine().maxDownloadAttempts());
        return new dev.berth.daemon.distribution.RegistryImageTransfer(dist, new dev.berth.image.PulledImages(local), events, ingest,
                root.resolve("push-cache"));
    }

    private static final java.util.concurrent.Executor VIRTUAL = r -> Thread.ofVirtual().start(r);

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private void createDirectories() {
        try {
            Files.createDirectories(config.dataRoot());
            Files.setPosixFilePermissions(config.dataRoot(), PosixFilePermissions.fromString("rwx--x--x"));
            Files.createDirectories(config.execRoot());
            // the remapped root must reach the rootfs under it (as the data root, it may pass but not list)
            Files.setPosixFilePermissions(config.execRoot(), PosixFilePermissions.fromString(config.usernsRemapped() ? "rwx--x--x" : "rwx------"));
        } catch (IOException e) {
            throw BerthException.internal("cannot create " + config.dataRoot() + " or " + config.execRoot() + ": " + e.getMessage(), e);
        }
    }

    private Map<String, RuntimeDriver> runtimeDrivers(RuntimeInventory inventory, ProcFs proc) {
        Optional<Path> conmon = inventory.find("conmon");
        if (conmon.isEmpty()) {
            throw BerthException.unavailable("conmon was not found on PATH: install conmon (apt-get install conmon)");
        }
        Map<String, RuntimeDriver> out = new LinkedHashMap<>();
        LinuxMounter mounter = new LinuxMounter(proc);
        ProcessLauncher launcher = ProcessLauncher.system();
        for (var e : inventory.runtimes().entrySet()) {
            try {
                HostInfo host = HostInfo.detect(proc, e.getKey());
                // Per-runtime state under a short directory: conmon's socket paths must stay under 108 bytes.
                out.put(e.getKey(), new ConmonRuntimeDriver(e.getValue(), e.getKey(), conmon.get(), config.execRoot().resolve(e.getKey()),
                        new OciSpecBuilder(host, new SeccompProfiles()), mounter, launcher, Cgroups.host(), proc, FileSpace.linux()));
            } catch (IOException | RuntimeException ex) {
                log.warn("OCI runtime " + e.getKey() + " at " + e.getValue() + " is unusable: " + ex.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw BerthException.unavailable("no OCI runtime found on PATH: install crun or runc");
        }
        return out;
    }

    /**
     * --default-runtime when given; otherwise the first of crun, runc that really runs a
     * container on this host (crun 1.8 fails on some hybrid-cgroup hosts where runc works).
     */
    private String chooseDefaultRuntime(ProcessLauncher launcher) {
        if (config.defaultRuntime() != null) {
            return config.defaultRuntime();
        }
        Path scratch = config.execRoot().resolve("probe");
        return new RuntimeDetector(launcher, scratch, Path.of("/bin/busybox")).chooseDefault()
                .map(RuntimeDetector.Choice::name)
                .orElseThrow(() -> BerthException.unavailable("neither crun nor runc can run a container on this host"));
    }

    private List<Listener> listeners() {
        List<Listener> out = new ArrayList<>();
        for (String h : config.hosts()) {
            if (h.startsWith("unix://")) {
                out.add(new Listener.Unix(Path.of(h.substring(7))));
            } else if (h.startsWith("tcp://")) {
                String hp = h.substring(6);
                int colon = hp.lastIndexOf(':');
                String host = hp.substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                int port = Integer.parseInt(hp.substring(colon + 1));
                Listener.TlsSettings tls = config.tls()
                        ? new Listener.TlsSettings(config.tlsCert(), config.tlsKey(), config.tlsCaCert(), config.tlsVerify()) : null;
                out.add(new Listener.Tcp(host, port, tls));
            }
        }
        return out;
    }

    /** A stable id for this engine (Docker's {@code ID} in /info), kept in {@code <data-root>/engine-id}. */
    private String engineId() {
        Path f = config.dataRoot().resolve("engine-id");
        try {
            if (Files.exists(f)) {
                return Files.readString(f).trim();
            }
            String id = UUID.randomUUID().toString();
            Path tmp = f.resolveSibling("engine-id.tmp");
            Files.writeString(tmp, id, StandardCharsets.US_ASCII);
            Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return id;
        } catch (IOException e) {
            return "";
        }
    }

    private void installSignalHandlers() {
        sun.misc.SignalHandler h = sig -> {
            log.info("Processing signal '" + sig.getName() + "'");
            Thread.ofPlatform().name("berth-shutdown").start(() -> {
                // --shutdown-timeout bounds berthd's own shutdown work; containers keep running under conmon anyway.
                ShutdownDeadline.run(this::shutdown, config.engine().shutdownTimeout(), log::warn);
                stopped.countDown();
            });
        };
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), h);
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), h);
    }

    /** Stops listening, stops health checks and timers, closes stores, removes the pid file. Containers keep running. */
    synchronized void shutdown() {
        if (server != null) {
            try {
                server.stop();
            } catch (RuntimeException e) {
                log.warn("stopping API server: " + e.getMessage());
            }
            server = null;
        }
        if (budget != null) {
            try {
                budget.close();
            } catch (RuntimeException e) {
                log.warn("stopping storage budget: " + e.getMessage());
            }
            budget = null;
        }
        if (containers != null) {
            try {
                containers.close();
            } catch (RuntimeException e) {
                log.warn("closing container manager: " + e.getMessage());
            }
            containers = null;
        }
        if (pidFile != null) {
            pidFile.remove();
            pidFile = null;
        }
        log.info("Daemon shutdown complete");
    }
}
