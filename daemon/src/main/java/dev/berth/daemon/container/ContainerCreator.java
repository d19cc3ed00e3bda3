package dev.berth.daemon.container;

import dev.berth.api.model.ContainerConfig;
import dev.berth.api.model.ContainerCreateRequest;
import dev.berth.api.model.HealthConfig;
import dev.berth.api.model.HostConfig;
import dev.berth.api.model.IdResponse;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Ids;
import dev.berth.image.LocalImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /containers/create}: resolves the image, validates everything, merges the image
 * config, then (and only then) touches disk: name, directory, volumes, container layer, record.
 * A failure at any step undoes the earlier ones. Thread-safe.
 */
final class ContainerCreator {
    static final List<String> DEFAULT_READONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
    static final String ANON_LABEL = "com.docker.volume.anonymous";
    private final Engine e;
    private final CreateValidator validator;

    ContainerCreator(Engine e, CreateValidator validator) {
        this.e = e;
        this.validator = validator;
    }

    IdResponse create(ContainerCreateRequest req) {
        ContainerConfig cfg = req.config();
        if (cfg == null) {
            throw BerthException.invalid("Config cannot be empty in order to create a container");
        }
        HostConfig hc = req.hostConfig() != null ? req.hostConfig() : HostConfigs.empty();
        if (cfg.image() == null || cfg.image().isEmpty()) {
            throw BerthException.invalid("No image was specified");
        }
        if (req.name() != null && !req.name().isEmpty()) {
            NameRegistry.validate(req.name());
        }
        // dockerd validates the settings (400) before it looks the image up (404)
        validator.validate(hc, cfg.healthcheck() != null);
        validateHealth(cfg.healthcheck());
        if (cfg.stopSignal() != null && !cfg.stopSignal().isEmpty()) {
            Signals.parse(cfg.stopSignal(), 15); // "Invalid signal: X" like dockerd's verifyContainerSettings
        }
        if (cfg.workingDir() != null && !cfg.workingDir().isEmpty() && !cfg.workingDir().startsWith("/")) {
            throw BerthException.invalid("the working directory '%s' is invalid, it needs to be an absolute path", cfg.workingDir());
        }
        LocalImage image = e.images.find(cfg.image())
                .orElseThrow(() -> BerthException.notFound("No such image: %s", withDefaultTag(cfg.image())));
        ContainerConfig merged = ConfigMerger.merge(cfg, image.config(), cfg.image());
        List<String> cmdline = ConfigMerger.commandLine(merged);
        List<PlannedMount> inherited = new ArrayList<>();
        if (hc.volumesFrom() != null) {
            for (String vf : hc.volumesFrom()) {
                int colon = vf.indexOf(':');
                Container src = e.index.get(colon < 0 ? vf : vf.substring(0, colon));
                inherited.addAll(MountPlanner.inherit(src.locked(() -> List.copyOf(src.rec.mounts)), colon < 0 ? "" : vf.substring(colon + 1)));
            }
        }
        List<PlannedMount> planned = MountPlanner.plan(merged, hc, inherited);
        String mode = SandboxRequests.networkMode(hc);
        // A 404 from create makes the docker CLI pull the image ("Unable to find image …") and
        // create again; a missing network or container is the caller's mistake (400, same text).
        notFoundIsInvalid(() -> {
            if (mode.startsWith("container:")) {
                e.index.get(mode.substring("container:".length()));
            } else if (!List.of("bridge", "host", "none").contains(mode)) {
                e.network.network(mode);
            }
            for (String ns : new String[] {hc.pidMode(), hc.ipcMode()}) {
                if (ns != null && ns.startsWith("container:")) {
                    e.index.get(ns.substring("container:".length()));
                }
            }
        });

        String id = Ids.newId();
        String hostname = merged.hostname() == null || merged.hostname().isEmpty()
                ? (mode.equals("host") ? hostHostname() : id.substring(0, 12)) : merged.hostname();
        merged = HostConfigs.withHostname(merged, hostname);
        HostConfig finalHc = HostConfigs.withDefaults(hc, e.defaultRuntime, mode, e.config.containerDefaults(),
                new HostConfig.LogConfig(e.config.logDriver(), e.config.logOpts()));

        Deque<Runnable> undo = new ArrayDeque<>();
        String name = e.index.names().reserve(req.name(), id);
        undo.push(() -> e.index.names().release(name));
        try {
            e.store.createDir(id);
            undo.push(() -> e.store.delete(id));
            List<PlannedMount> mounts = new ArrayList<>();
            for (PlannedMount m : planned) {
                mounts.add(materialize(m, undo));
            }
            e.images.prepareContainerLayer(id, image.id());
            undo.push(() -> e.images.removeContainerLayer(id));

            if (finalHc.links() != null && !finalHc.links().isEmpty()) {
                finalHc = HostConfigs.withLinks(finalHc, Links.normalize(finalHc.links(), name, mode, e.index));
            }
            ContainerRecord r = new ContainerRecord();
            r.id = id;
            r.name = name;
            r.created = e.now();
            r.imageId = image.id();
            r.config = merged;
            r.hostConfig = finalHc;
            r.networkingConfig = normalizeEndpoints(req.networkingConfig(), mode);
            r.path = cmdline.getFirst();
            r.args = new ArrayList<>(cmdline.subList(1, cmdline.size()));
            r.runtime = finalHc.runtime();
            r.mounts = mounts;
            r.logPath = e.store.logPath(id).toString();
            e.store.save(r);
            e.index.add(new Container(r));
            e.events.emit(r, "create");
            List<String> warnings = new ArrayList<>();
            return new IdResponse(id, warnings);
        } catch (RuntimeException ex) {
            while (!undo.isEmpty()) {
                Engine.quietly("undo create of " + id, undo.pop());
            }
            if (ex instanceof BerthException) {
                throw ex;
            }
            throw new BerthException(ErrorKind.INTERNAL, "create failed: " + ex.getMessage(), ex);
        }
    }

    /** Creates what a planned mount needs (volumes, -v host directories); registers undo steps. */
    private PlannedMount materialize(PlannedMount m, Deque<Runnable> undo) {
        switch (m.type()) {
            case "volume" -> {
                if (m.source().isEmpty()) {
                    var v = e.volumes.create(null, m.driver(), Map.of(), Map.of(ANON_LABEL, ""));
                    undo.push(() -> e.volumes.remove(v.name()));
                    return new PlannedMount("volume", v.name(), m.destination(), m.rw(), m.mode(), "", true, m.noCopy(), v.driver(), m.options());
                }
                if (e.volumes.find(m.source()).isEmpty()) {
                    var v = e.volumes.create(m.source(), m.driver(), Map.of(), Map.of());
                    undo.push(() -> e.volumes.remove(v.name()));
                }
                return m;
            }
            case "bind" -> {
                // -v creates a missing host directory, as Docker does (--mount checked existence
                // in the planner unless CreateMountpoint was asked for)
                Path src = Path.of(m.source());
                if (!Files.exists(src)) {
                    try {
                        Files.createDirectories(src);
                    } catch (java.io.IOException ex) {
                        throw BerthException.invalid("error while creating mount source path '%s': %s", m.source(), ex.getMessage());
                    }
                }
                return m;
            }
            default -> {
                return m;
            }
        }
    }

    /** The CLI names the mode's network "default"; store it under the real name ("bridge"). */
    static dev.berth.api.model.NetworkingConfig normalizeEndpoints(dev.berth.api.model.NetworkingConfig nc, String mode) {
        if (nc == null || nc.endpointsConfig() == null || nc.endpointsConfig().isEmpty()) {
            return nc;
        }
        Map<String, dev.berth.api.model.NetworkingConfig.EndpointSettings> out = new java.util.LinkedHashMap<>();
        nc.endpointsConfig().forEach((k, v) -> {
            String name = k.equals("default") ? mode : k;
            if (name.equals("host") || name.equals("none") || name.startsWith("container:")) {
                return; // no endpoints in those modes
            }
            out.put(name, v);
        });
        return new dev.berth.api.model.NetworkingConfig(out);
    }

    static void validateHealth(HealthConfig h) {
        if (h == null) {
            return;
        }
        long min = 1_000_000L;
        if (h.interval() != null && h.interval() != 0 && h.interval() < min) {
            throw BerthException.invalid("Interval in Healthcheck cannot be less than 1ms");
        }
        if (h.timeout() != null && h.timeout() != 0 && h.timeout() < min) {
            throw BerthException.invalid("Timeout in Healthcheck cannot be less than 1ms");
        }
        if (h.retries() != null && h.retries() < 0) {
            throw BerthException.invalid("Retries in Healthcheck cannot be negative");
        }
        if (h.startPeriod() != null && h.startPeriod() != 0 && h.startPeriod() < min) {
            throw BerthException.invalid("StartPeriod in Healthcheck cannot be less than 1ms");
        }
        if (h.startInterval() != null && h.startInterval() != 0 && h.startInterval() < min) {
            throw BerthException.invalid("StartInterval in Healthcheck cannot be less than 1ms");
        }
    }

    /** "busybox" → "busybox:latest" for the not-found message (the CLI then pulls). */
    static String withDefaultTag(String ref) {
        if (ref.contains("@")) {
            return ref;
        }
        int slash = ref.lastIndexOf('/');
        return ref.substring(slash + 1).contains(":") ? ref : ref + ":latest";
    }

    private static String hostHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (java.io.IOException ex) {
            return "localhost";
        }
    }

    private static void notFoundIsInvalid(Runnable check) {
        try {
            check.run();
        } catch (BerthException ex) {
            if (ex.kind() == ErrorKind.NOT_FOUND) {
                throw new BerthException(ErrorKind.INVALID_ARGUMENT, ex.getMessage(), ex);
            }
            throw ex;
        }
    }
}
