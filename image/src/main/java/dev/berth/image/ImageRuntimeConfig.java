package dev.berth.image;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The image config's {@code config} object (Docker image spec v1.3): defaults for containers
 * made from the image. Null means unset.
 */
public record ImageRuntimeConfig(
        String user,
        Set<String> exposedPorts,
        List<String> env,
        List<String> entrypoint,
        List<String> cmd,
        Set<String> volumes,
        String workingDir,
        Map<String, String> labels,
        String stopSignal,
        Healthcheck healthcheck,
        List<String> onBuild,
        List<String> shell,
        Boolean argsEscaped) {

    /** Durations in nanoseconds; 0 for unset. */
    public record Healthcheck(List<String> test, long interval, long timeout, long startPeriod, long startInterval, int retries) {}
}
