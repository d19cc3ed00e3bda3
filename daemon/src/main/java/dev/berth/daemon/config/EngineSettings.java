package dev.berth.daemon.config;

import java.util.List;
import java.util.Map;

/**
 * Engine-level settings of dockerd that Berth honours as far as they apply here. Immutable.
 *
 * @param socketGroup group of the unix sockets (dockerd {@code --group}, default "docker"); "" leaves them root's
 * @param socketGroupExplicit whether the group was given (a missing default group is only a warning, as in dockerd)
 * @param storageDriver always "overlay2" (the only snapshotter Berth has)
 * @param cgroupDriver always "cgroupfs" (see {@code --exec-opt native.cgroupdriver})
 * @param labels engine labels shown by {@code docker info}
 * @param experimental shown by {@code docker info} / {@code docker version}
 * @param maxConcurrentDownloads layers downloaded at once per pull (dockerd: 3)
 * @param maxConcurrentUploads layers uploaded at once per push (dockerd: 5)
 * @param maxDownloadAttempts attempts per layer download (dockerd: 5)
 * @param shutdownTimeout seconds berthd waits for its own shutdown work on SIGTERM; negative waits forever (dockerd: 15)
 * @param features dockerd's {@code features} map (JSON only); accepted, none changes Berth's behaviour
 */
public record EngineSettings(String socketGroup, boolean socketGroupExplicit, String storageDriver, String cgroupDriver,
                             List<String> labels, boolean experimental, int maxConcurrentDownloads, int maxConcurrentUploads,
                             int maxDownloadAttempts, int shutdownTimeout, Map<String, Boolean> features) {
    public static final String DEFAULT_GROUP = "docker";

    public EngineSettings {
        labels = labels == null ? List.of() : List.copyOf(labels);
        features = features == null ? Map.of() : Map.copyOf(features);
    }

    public static EngineSettings defaults() {
        return new EngineSettings(DEFAULT_GROUP, false, "overlay2", "cgroupfs", List.of(), false, 3, 5, 5, 15, Map.of());
    }
}
