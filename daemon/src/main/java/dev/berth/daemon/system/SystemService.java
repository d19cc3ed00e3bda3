package dev.berth.daemon.system;

import dev.berth.api.backend.ImageBackend;
import dev.berth.api.backend.MessageSink;
import dev.berth.api.backend.SystemBackend;
import dev.berth.api.model.SystemInfo;
import dev.berth.api.model.SystemVersion;
import dev.berth.common.Filters;
import dev.berth.daemon.backend.ContainerUsage;
import dev.berth.daemon.backend.VolumeBackendImpl;
import dev.berth.daemon.budget.ImageLayers;
import dev.berth.api.model.ImageSummary;
import dev.berth.daemon.config.DaemonConfig;
import dev.berth.daemon.config.DaemonOptions;
import dev.berth.daemon.events.EventBus;
import dev.berth.image.ImageService;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link SystemBackend}: {@code /version}, {@code /info}, {@code /events} and {@code /system/df}
 * with real numbers from the stores, the containers and the host. Thread-safe.
 */
public final class SystemService implements SystemBackend {
    public static final String API_VERSION = "1.50";
    public static final String MIN_API_VERSION = "1.24";

    private final DaemonConfig config;
    private final String engineId;
    private final String defaultRuntime;
    private final ImageService images;
    private final ImageBackend imageBackend;
    private final VolumeBackendImpl volumes;
    private final ContainerUsage containers;
    private final EventBus events;
    private final HostFacts host;
    private final RuntimeInventory runtimes;
    private final List<String> warnings;
    private volatile java.util.function.Supplier<List<Map<String, Object>>> buildCache = List::of;

    /** Where {@code system df} gets its {@code BuildCache} entries (swagger BuildCache objects); default none. */
    public void setBuildCache(java.util.function.Supplier<List<Map<String, Object>>> entries) {
        this.buildCache = entries == null ? List::of : entries;
    }

    public SystemService(DaemonConfig config, String engineId, String defaultRuntime, ImageService images, ImageBackend imageBackend,
            VolumeBackendImpl volumes, ContainerUsage containers, EventBus events, HostFacts host, RuntimeInventory runtimes,
            List<String> warnings) {
        this.config = config;
        this.engineId = engineId;
        this.defaultRuntime = defaultRuntime;
        this.images = images;
        this.imageBackend = imageBackend;
        this.volumes = volumes;
        this.containers = containers;
        this.events = events;
        this.host = host;
        this.runtimes = runtimes;
        this.warnings = List.copyOf(warnings);
    }

    @Override
    public SystemVersion version() {
        String kernel = host.kernelVersion();
        String goVersion = "java" + Runtime.version().feature();
        Map<String, String> engineDetails = new LinkedHashMap<>();
        engineDetails.put("ApiVersion", API_VERSION);
        engineDetails.put("Arch", arch());
        engineDetails.put("BuildTime", "");
        engineDetails.put("Experimental", Boolean.toString(config.engine().experimental()));
        engineDetails.put("GitCommit", "");
        engineDetails.put("GoVersion", goVersion);
        engineDetails.put("KernelVersion", kernel);
        engineDetails.put("MinAPIVersion", MIN_API_VERSION);
        engineDetails.put("Os", "linux");
        List<SystemVersion.Component> components = new ArrayList<>();
        components.add(new SystemVersion.Component("Engine", DaemonOptions.VERSION, engineDetails));
        for (String rt : runtimes.runtimes().keySet()) {
            components.add(new SystemVersion.Component(rt, runtimes.version(rt).orElse("unknown"), Map.of("GitCommit", "")));
        }
        runtimes.version("conmon").ifPresent(v -> components.add(new SystemVersion.Component("conmon", v, Map.of("GitCommit", ""))));
        runtimes.version("catatonit").ifPresent(v -> components.add(new SystemVersion.Component("docker-init", v, Map.of("GitCommit", ""))));
        return new SystemVersion(Map.of("Name", "Berth Engine"), components, DaemonOptions.VERSION, API_VERSION, MIN_API_VERSION,
                "", goVersion, "linux", arch(), kernel, "");
    }

    @Override
    public SystemInfo info() {
        ContainerUsage.Counts counts = containers.counts();
        Map<String, Map<String, Object>> rts = new LinkedHashMap<>();
        runtimes.runtimes().forEach((name, path) -> rts.put(name, Map.of("path", path.toString())));
        List<String> security = new ArrayList<>(List.of("name=seccomp,profile=builtin"));
        if (config.usernsRemapped()) {
            security.add("name=userns");
        }
        if ("2".equals(host.cgroupVersion())) {
            security.add("name=cgroupns");
        }
        Map<String, List<String>> plugins = new LinkedHashMap<>();
        plugins.put("Volume", List.of("local"));
        plugins.put("Network", List.of("bridge", "host", "none"));
        plugins.put("Authorization", null);
        plugins.put("Log", dev.berth.daemon.logs.LogDrivers.LISTED);
        List<String> warns = new ArrayList<>(warnings);
        return new SystemInfo(engineId, counts.total(), counts.running(), counts.paused(), counts.stopped(),
                images.list().size(), "overlay2",
                List.of(List.of("Backing Filesystem", "extfs"), List.of("Supports d_type", "true"), List.of("Using metacopy", "false"),
                        List.of("Native Overlay Diff", "true"), List.of("userxattr", "false")),
                plugins, true, true, true, true, true, true, true, host.ipv4Forwarding(), config.debug(),
                host.openFds(), Thread.activeCount(), DateTimeFormatter.ISO_INSTANT.format(Instant.now()),
                config.logDriver(), "cgroupfs", host.cgroupVersion(), events.listenerCount(), host.kernelVersion(),
                host.operatingSystem(), host.osVersion(), "linux", arch().equals("amd64") ? "x86_64" : arch(), host.cpus(), host.memTotal(),
                "https://index.docker.io/v1/", config.dataRoot().toString(), host.hostname(), config.engine().labels(), config.engine().experimental(),
                DaemonOptions.VERSION, rts, defaultRuntime, Map.of("NodeID", "", "NodeAddr", "", "LocalNodeState", "inactive",
                        "ControlAvailable", false, "Error", "", "RemoteManagers", List.of()),
                true, "", "docker-init", security, warns);
    }

    @Override
    public void events(double since, double until, Filters filters, MessageSink sink) {
        try {
            events.stream(since, until, filters, sink);
        } catch (IOException e) {
            // the client went away: the stream simply ends
        }
    }

    @Override
    public Map<String, Object> diskUsage() {
        Map<String, Object> out = new LinkedHashMap<>();
        // Docker's meanings: LayersSize = bytes of distinct unpacked layers; SharedSize = bytes of an
        // image's layers that other images use too (the CLI computes "reclaimable" from them).
        List<ImageLayers.ImageInfo> layers = ImageLayers.of(images);
        Map<String, Long> shared = ImageLayers.sharedSizes(layers);
        out.put("LayersSize", ImageLayers.layersSize(layers));
        List<ImageSummary> imgs = new ArrayList<>();
        for (ImageSummary i : imageBackend.list(true, Filters.NONE, false)) {
            imgs.add(new ImageSummary(i.id(), i.parentId(), i.repoTags(), i.repoDigests(), i.created(), i.size(),
                    shared.getOrDefault(i.id(), 0L), i.labels(), i.containers(), i.descriptor()));
        }
        out.put("Images", imgs);
        out.put("Containers", containers.containersWithSize());
        out.put("Volumes", volumes.usage());
        out.put("BuildCache", buildCache.get());
        return out;
    }

    private static String arch() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> a;
        };
    }
}
