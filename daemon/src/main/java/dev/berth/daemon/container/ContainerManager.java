package dev.berth.daemon.container;

import dev.berth.api.backend.ContainerBackend;
import dev.berth.api.backend.ExecBackend;
import dev.berth.api.backend.HijackedStreams;
import dev.berth.api.backend.MessageSink;
import dev.berth.api.backend.OutputSink;
import dev.berth.api.model.ContainerCreateRequest;
import dev.berth.api.model.ContainerInspect;
import dev.berth.api.model.ContainerSummary;
import dev.berth.api.model.ContainerTop;
import dev.berth.api.model.ContainerUpdateRequest;
import dev.berth.api.model.ContainerWaitResponse;
import dev.berth.api.model.HostConfig;
import dev.berth.api.model.IdResponse;
import dev.berth.api.model.PruneReport;
import dev.berth.common.BerthException;
import dev.berth.common.Filters;
import dev.berth.daemon.config.DaemonConfig;
import dev.berth.daemon.events.EventPublisher;
import dev.berth.image.ImageService;
import dev.berth.network.NetworkService;
import dev.berth.runtime.RuntimeDriver;
import dev.berth.volume.VolumeService;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The container engine: implements {@link ContainerBackend} (and, through {@link #execBackend()},
 * {@link ExecBackend}) on top of the image, runtime, network and volume services. Owns
 * {@code <data-root>/containers}. Lifecycle: construct, {@link #restore()} once at daemon start
 * (after the network service started), serve, {@link #shutdown()} (containers keep running).
 * Thread-safe.
 */
public final class ContainerManager implements ContainerBackend {
    private final Engine e;
    private final ContainerCreator creator;
    private final ContainerLifecycle lifecycle;
    private final HealthMonitor health;
    private final LogsService logs;
    private final AttachService attach;
    private final ExecManager execs;
    private final InspectView view;
    private final StatsService stats;
    private final PsTop top;
    private final ExportService exporter;
    private final CreateValidator validator;
    private final Remover remover;

    /**
     * @param runtimes drivers by runtime name ("crun", "runc")
     * @param defaultRuntime the name used when a container does not ask for one
     */
    public ContainerManager(DaemonConfig config, ImageService images, Map<String, RuntimeDriver> runtimes, String defaultRuntime,
                            NetworkService network, VolumeService volumes, EventPublisher events, Clock clock) {
        this(config, images, runtimes, defaultRuntime, network, volumes, events, clock, null, null);
    }

    /**
     * @param idmap   makes the idmapped layer views {@code --userns-remap} needs; null: remapping is refused at start
     * @param mounter unmounts those views
     */
    public ContainerManager(DaemonConfig config, ImageService images, Map<String, RuntimeDriver> runtimes, String defaultRuntime,
                            NetworkService network, VolumeService volumes, EventPublisher events, Clock clock,
                            dev.berth.sys.mount.IdmapMounter idmap, dev.berth.sys.mount.Mounter mounter) {
        ContainerStore store = new ContainerStore(config.dataRoot());
        UsernsRootfs userns = idmap == null ? UsernsRootfs.UNSUPPORTED
                : new UsernsRootfs(idmap, mounter, config.execRoot().resolve("userns"));
        ContainerIndex index = new ContainerIndex(new NameRegistry(new NameGenerator(new java.util.Random())));
        this.e = new Engine(config, images, runtimes, defaultRuntime, network, volumes, new ContainerEvents(events), clock, store, index, userns);
        this.validator = new CreateValidator(Runtime.getRuntime().availableProcessors(), runtimes.keySet(), config.logDriver());
        this.creator = new ContainerCreator(e, validator);
        this.health = new HealthMonitor(e);
        this.lifecycle = new ContainerLifecycle(e, health, new VolumeSeeder(volumes, store.root().resolve(".seed")));
        this.logs = new LogsService(e);
        this.attach = new AttachService(e, logs);
        this.execs = new ExecManager(e);
        this.view = new InspectView(e);
        this.stats = new StatsService(e, Path.of("/proc"));
        this.top = new PsTop(dev.berth.sys.proc.ProcessLauncher.system(), new ProcTop(Path.of("/proc")));
        this.exporter = new ExportService(e);
        this.remover = new Remover(e, lifecycle, execs);
        lifecycle.setAutoRemover(c -> Engine.quietly("auto-remove " + c.id(), () -> remover.remove(c, true, true)));
    }

    /** For tests in this package. */
    Engine engine() {
        return e;
    }

    /** Network connect/disconnect of containers, for the network backend. */
    public dev.berth.daemon.backend.ContainerNetworks networks() {
        return new ContainerNetworking(e);
    }

    /** The exec half of the engine, for the exec router. */
    public ExecBackend execBackend() {
        return execs;
    }

    @Override
    public IdResponse create(ContainerCreateRequest request) {
        return creator.create(request);
    }

    @Override
    public ContainerInspect inspect(String nameOrId, boolean withSize) {
        Container c = e.index.get(nameOrId);
        return c.locked(() -> view.inspect(c.rec, withSize, execs.idsOf(c.id())));
    }

    @Override
    public List<ContainerSummary> list(boolean all, int limit, boolean withSize, Filters filters) {
        ListFilters lf = new ListFilters(filters,
                ref -> Times.parse(e.index.get(ref).rec.created),
                ref -> e.images.find(ref).map(i -> Set.of(i.id())).orElse(Set.of()));
        boolean showAll = all || lf.impliesAll() || limit > 0;
        Instant now = e.clock.instant();
        List<Container> sorted = new ArrayList<>(e.index.all());
        sorted.sort(Comparator.comparing((Container c) -> c.rec.created).reversed());
        List<ContainerSummary> out = new ArrayList<>();
        // one network lookup per name per request: each reads the network store (perf: ps -a over 500 containers)
        Map<String, String> netIds = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.function.Function<String, String> ids = n -> netIds.computeIfAbsent(n, view::networkId);
        for (Container c : sorted) {
            ContainerSummary s = c.locked(() -> {
                ContainerRecord r = c.rec;
                if (!showAll && !r.state.running) {
                    return null;
                }
                var ns = view.networkSettings(r, ids);
                if (!lf.test(new ListFilters.Row(r, ns.networks() == null ? Set.of() : ns.networks().keySet(), view.ports(r)))) {
                    return null;
                }
                return view.summary(r, withSize, now, ns);
            });
            if (s != null) {
                out.add(s);
                if (limit > 0 && out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    @Override
    public void start(String nameOrId, String detachKeys) {
        if (detachKeys != null && !detachKeys.isEmpty()) {
            DetachKeys.parse(detachKeys);
        }
        lifecycle.start(e.index.get(nameOrId));
    }

    @Override
    public void stop(String nameOrId, Integer timeoutSeconds, String signal) {
        lifecycle.stop(e.index.get(nameOrId), timeoutSeconds, signal);
    }

    @Override
    public void restart(String nameOrId, Integer timeoutSeconds, String signal) {
        lifecycle.restart(e.index.get(nameOrId), timeoutSeconds, signal);
    }

    @Override
    public void kill(String nameOrId, String signal) {
        lifecycle.kill(e.index.get(nameOrId), nameOrId, signal);
    }

    @Override
    public void pause(String nameOrId) {
        lifecycle.pause(e.index.get(nameOrId));
    }

    @Override
    public void unpause(String nameOrId) {
        lifecycle.unpause(e.index.get(nameOrId));
    }

    @Override
    public void remove(String nameOrId, boolean force, boolean removeVolumes, boolean removeLink) {
        if (removeLink) {
            Links.remove(e, nameOrId);
            return;
        }
        Container c = e.index.get(nameOrId);
        if (!force && c.locked(() -> c.rec.state.running)) {
            String what = c.rec.state.paused ? "paused" : (c.rec.state.restarting ? "restarting" : "running");
            throw BerthException.conflict("cannot remove container \"%s\": container is %s: stop the container before removing or force remove",
                    c.rec.name, what);
        }
        remover.remove(c, force, removeVolumes);
    }

    @Override
    public void rename(String nameOrId, String newName) {
        Container c = e.index.get(nameOrId);
        if (newName == null || newName.isEmpty()) {
            throw BerthException.invalid("Neither old nor new names may be empty");
        }
        NameRegistry.validate(newName);
        c.locked(() -> {
            String old = c.rec.name;
            String canonical = NameRegistry.canonical(newName);
            if (canonical.equals(old)) {
                throw BerthException.invalid("Renaming a container with the same name as its current name");
            }
            e.index.names().reserve(newName, c.id());
            c.rec.name = canonical;
            try {
                e.store.save(c.rec);
            } catch (RuntimeException ex) {
                c.rec.name = old;
                e.index.names().release(canonical);
                throw ex;
            }
            e.index.names().release(old);
            e.events.emit(c.rec, "rename", Map.of("oldName", old));
        });
    }

    @Override
    public List<String> update(String nameOrId, ContainerUpdateRequest request) {
        Container c = e.index.get(nameOrId);
        HostConfig upd = request.resources() == null ? HostConfigs.empty() : request.resources();
        CreateValidator.validateRestartPolicy(upd.restartPolicy());
        return c.locked(() -> {
            ContainerRecord r = c.rec;
            if (upd.restartPolicy() != null && upd.restartPolicy().name() != null && !RestartPolicy.isNone(upd.restartPolicy().name())
                    && r.hostConfig.autoRemove()) {
                throw BerthException.invalid("Restart policy cannot be updated because AutoRemove is enabled for the container");
            }
            HostConfig next = HostConfigs.withUpdate(r.hostConfig, upd);
            validator.validateResources(next);
            if (r.state.running && !r.state.restarting) {
                e.driver(r).update(r.id, SpecAssembler.resources(next));
            }
            r.hostConfig = next;
            e.store.save(r);
            e.events.emit(r, "update");
            return List.<String>of();
        });
    }

    @Override
    public CompletableFuture<ContainerWaitResponse> waitFor(String nameOrId, String condition) {
        Container c = e.index.get(nameOrId);
        String cond = condition == null || condition.isEmpty() ? "not-running" : condition;
        return switch (cond) {
            case "not-running" -> c.locked(() -> c.rec.state.running
                    ? c.exited
                    : CompletableFuture.completedFuture(new ContainerWaitResponse(c.rec.state.exitCode, null)));
            case "next-exit" -> c.locked(() -> c.exited.isDone() ? nextExit(c) : c.exited);
            case "removed" -> c.removed;
            default -> throw BerthException.invalid("invalid condition: \"%s\"", condition);
        };
    }

    /** The exit after the next start (the current future already completed with an old run). */
    private static CompletableFuture<ContainerWaitResponse> nextExit(Container c) {
        c.exited = new CompletableFuture<>();
        return c.exited;
    }

    @Override
    public ContainerTop top(String nameOrId, String psArgs) {
        Container c = e.index.get(nameOrId);
        if (!c.locked(() -> c.rec.state.running && !c.rec.state.restarting)) {
            throw BerthException.conflict("container %s is not running", c.id());
        }
        return top.top(psArgs, e.driver(c.rec).pids(c.id()));
    }

    @Override
    public void stats(String nameOrId, boolean stream, boolean oneShot, MessageSink sink) {
        stats.stats(e.index.get(nameOrId), stream, oneShot, sink);
    }

    @Override
    public void logs(String nameOrId, LogsOptions options, OutputSink sink) {
        logs.logs(e.index.get(nameOrId), options, sink);
    }

    @Override
    public void attach(String nameOrId, AttachOptions options, HijackedStreams streams) {
        attach.attach(e.index.get(nameOrId), options, streams);
    }

    @Override
    public void resize(String nameOrId, int height, int width) {
        Container c = e.index.get(nameOrId);
        c.locked(() -> {
            if (!c.rec.state.running || c.rec.state.restarting) {
                throw BerthException.conflict("Container %s is not running", c.id());
            }
            e.driver(c.rec).resize(c.id(), height, width);
            e.events.emit(c.rec, "resize", Map.of("height", Integer.toString(height), "width", Integer.toString(width)));
        });
    }

    @Override
    public PruneReport prune(Filters filters) {
        Filters f = filters.validate(Set.of("until", "label", "label!"));
        Instant until = f.has("until") ? PruneFilters.until(f.get("until").iterator().next(), e.clock.instant()) : null;
        List<Object> deleted = new ArrayList<>();
        long space = 0;
        for (Container c : List.copyOf(e.index.all())) {
            ContainerRecord r = c.rec;
            if (r.state.running || r.state.removalInProgress) {
                continue;
            }
            if (!PruneFilters.matches(f, r, until)) {
                continue;
            }
            long size = 0;
            try {
                size = e.images.containerLayerSize(r.id);
            } catch (RuntimeException ex) {
                // unknown size
            }
            try {
                remover.remove(c, false, false);
                deleted.add(r.id);
                space += size;
            } catch (RuntimeException ex) {
                // started meanwhile: skip
            }
        }
        e.events.publishRaw("prune", Map.of("reclaimed", Long.toString(space)));
        return new PruneReport(deleted, space);
    }

    @Override
    public void export(String nameOrId, OutputStream out) {
        exporter.export(e.index.get(nameOrId), out);
    }

    // ---------------------------------------------------------------- for the rest of the daemon

    /** Whether a container (any state) uses image {@code imageId} ({@code sha256:…}). */
    public boolean isImageInUse(String imageId) {
        return imageIdsInUse().contains(imageId);
    }

    public Set<String> imageIdsInUse() {
        Set<String> out = new HashSet<>();
        e.index.all().forEach(c -> out.add(c.rec.imageId));
        return out;
    }

    /** Containers (any state) using image {@code imageId}, for {@code ImageService.removeImage}'s conflict messages. */
    public List<ImageService.ContainerUse> containersUsingImage(String imageId) {
        List<ImageService.ContainerUse> out = new ArrayList<>();
        for (Container c : e.index.all()) {
            if (imageId.equals(c.rec.imageId)) {
                out.add(new ImageService.ContainerUse(c.id(), c.rec.state.running));
            }
        }
        return out;
    }

    /** Names of volumes referenced by any container. */
    public Set<String> volumesInUse() {
        Set<String> out = new HashSet<>();
        for (Container c : e.index.all()) {
            for (PlannedMount m : c.locked(() -> List.copyOf(c.rec.mounts))) {
                if (m.isVolume()) {
                    out.add(m.source());
                }
            }
        }
        return out;
    }

    /** Counts for {@code /info}. */
    public record Counts(int total, int running, int paused, int stopped) {}

    public Counts counts() {
        int running = 0;
        int paused = 0;
        int stopped = 0;
        for (Container c : e.index.all()) {
            var s = c.rec.state;
            if (s.running && s.paused) {
                paused++;
            } else if (s.running) {
                running++;
            } else {
                stopped++;
            }
        }
        return new Counts(running + paused + stopped, running, paused, stopped);
    }

    /** Loads containers, re-adopts running ones, applies restart policies. Call once at start-up. */
    public void restore() {
        new Restorer(e, lifecycle, remover).restore();
    }

    /** Stops health checks and timers; containers keep running (live restore). */
    public void shutdown() {
        for (Container c : e.index.all()) {
            health.stop(c);
        }
        lifecycle.shutdown();
    }
}
