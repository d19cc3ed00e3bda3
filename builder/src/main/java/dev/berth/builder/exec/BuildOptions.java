package dev.berth.builder.exec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of one classic build, as {@code POST /build} carries them.
 *
 * @param tags {@code t=} references to tag the result with
 * @param buildArgs {@code buildargs=}: a null value means "declared on the command line without a
 *     value" (it then counts as unset)
 * @param target {@code target=} stage name, or null for the last stage
 * @param noCache {@code nocache=1}
 * @param pull {@code pull=1}: always pull base images
 * @param remove {@code rm} (default true): remove intermediate containers after a successful step
 * @param forceRemove {@code forcerm=1}: remove them even after a failure
 * @param quiet {@code q=1}: suppress step output (aux messages are still sent)
 * @param platform {@code platform=}, or null
 * @param networkMode {@code networkmode=}, or null
 * @param labels {@code labels=}: added to the final image by an extra LABEL step
 * @param resources container limits for RUN
 * @param cacheFrom {@code cachefrom=}: local images whose build history may stand in for steps
 *     (matched by parent chain and instruction, as the classic builder does)
 * @param runMounts null (RUN --mount refused as BuildKit-only, like dockerd), or the secrets of a
 *     build that enables {@code RUN --mount=type=cache|secret} (berth's CLI)
 */
public record BuildOptions(List<String> tags, Map<String, String> buildArgs, String target, boolean noCache,
                           boolean pull, boolean remove, boolean forceRemove, boolean quiet, String platform,
                           String networkMode, Map<String, String> labels, BuildResources resources,
                           List<String> cacheFrom, RunMounts runMounts) {
    public BuildOptions {
        cacheFrom = cacheFrom == null ? List.of() : List.copyOf(cacheFrom);
        tags = tags == null ? List.of() : List.copyOf(tags);
        buildArgs = buildArgs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(buildArgs));
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        resources = resources == null ? BuildResources.NONE : resources;
    }

    /** Without cache sources. */
    public BuildOptions(List<String> tags, Map<String, String> buildArgs, String target, boolean noCache,
                        boolean pull, boolean remove, boolean forceRemove, boolean quiet, String platform,
                        String networkMode, Map<String, String> labels, BuildResources resources) {
        this(tags, buildArgs, target, noCache, pull, remove, forceRemove, quiet, platform, networkMode, labels,
                resources, List.of(), null);
    }

    /** Without RUN --mount support. */
    public BuildOptions(List<String> tags, Map<String, String> buildArgs, String target, boolean noCache,
                        boolean pull, boolean remove, boolean forceRemove, boolean quiet, String platform,
                        String networkMode, Map<String, String> labels, BuildResources resources,
                        List<String> cacheFrom) {
        this(tags, buildArgs, target, noCache, pull, remove, forceRemove, quiet, platform, networkMode, labels,
                resources, cacheFrom, null);
    }

    public BuildOptions withRunMounts(RunMounts m) {
        return new BuildOptions(tags, buildArgs, target, noCache, pull, remove, forceRemove, quiet, platform,
                networkMode, labels, resources, cacheFrom, m);
    }

    public BuildOptions withCacheFrom(List<String> c) {
        return new BuildOptions(tags, buildArgs, target, noCache, pull, remove, forceRemove, quiet, platform,
                networkMode, labels, resources, c, runMounts);
    }

    /** Defaults: no tags, no args, cache on, rm on. */
    public static BuildOptions defaults() {
        return new BuildOptions(List.of(), Map.of(), null, false, false, true, false, false, null, null, Map.of(),
                BuildResources.NONE);
    }

    public BuildOptions withTags(List<String> t) {
        return new BuildOptions(t, buildArgs, target, noCache, pull, remove, forceRemove, quiet, platform,
                networkMode, labels, resources, cacheFrom, runMounts);
    }

    public BuildOptions withBuildArgs(Map<String, String> a) {
        return new BuildOptions(tags, a, target, noCache, pull, remove, forceRemove, quiet, platform, networkMode,
                labels, resources, cacheFrom, runMounts);
    }

    public BuildOptions withTarget(String t) {
        return new BuildOptions(tags, buildArgs, t, noCache, pull, remove, forceRemove, quiet, platform,
                networkMode, labels, resources, cacheFrom, runMounts);
    }

    public BuildOptions withNoCache(boolean v) {
        return new BuildOptions(tags, buildArgs, target, v, pull, remove, forceRemove, quiet, platform, networkMode,
                labels, resources, cacheFrom, runMounts);
    }

    public BuildOptions withRemove(boolean rm, boolean forceRm) {
        return new BuildOptions(tags, buildArgs, target, noCache, pull, rm, forceRm, quiet, platform, networkMode,
                labels, resources, cacheFrom, runMounts);
    }

    public BuildOptions withLabels(Map<String, String> l) {
        return new BuildOptions(tags, buildArgs, target, noCache, pull, remove, forceRemove, quiet, platform,
                networkMode, l, resources, cacheFrom, runMounts);
    }
}
