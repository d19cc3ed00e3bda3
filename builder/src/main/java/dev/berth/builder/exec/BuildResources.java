package dev.berth.builder.exec;

import java.util.List;

/**
 * Resource settings of {@code POST /build} that apply to every RUN container. Zero or null means
 * "not set".
 */
public record BuildResources(long memory, long memorySwap, long shmSize, long cpuShares, long cpuPeriod,
                             long cpuQuota, String cpusetCpus, String cpusetMems, String cgroupParent,
                             List<String> extraHosts) {
    public static final BuildResources NONE = new BuildResources(0, 0, 0, 0, 0, 0, null, null, null, List.of());

    public BuildResources {
        extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
    }
}
