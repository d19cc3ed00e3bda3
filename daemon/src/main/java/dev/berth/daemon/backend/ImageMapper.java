package dev.berth.daemon.backend;

import dev.berth.api.model.ContainerConfig;
import dev.berth.api.model.ContainerInspect;
import dev.berth.api.model.HealthConfig;
import dev.berth.api.model.ImageInspect;
import dev.berth.api.model.ImageSummary;
import dev.berth.image.ImageRuntimeConfig;
import dev.berth.image.LocalImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Maps the image store's {@link LocalImage} to the Engine API's shapes. Pure functions. */
final class ImageMapper {
    private ImageMapper() {}

    static ImageSummary summary(LocalImage img, List<String> repoTags, long containers) {
        return new ImageSummary(
                img.id(),
                img.parent() == null ? "" : img.parent(),
                repoTags,
                img.repoDigests() == null ? List.of() : img.repoDigests(),
                FilterTimes.ofRfc3339(img.created()).getEpochSecond(),
                img.size(),
                -1,
                img.labels() == null ? Map.of() : img.labels(),
                containers,
                null);
    }

    static ImageInspect inspect(LocalImage img) {
        return new ImageInspect(
                img.id(),
                img.repoTags() == null ? List.of() : img.repoTags(),
                img.repoDigests() == null ? List.of() : img.repoDigests(),
                img.parent() == null ? "" : img.parent(),
                img.comment() == null ? "" : img.comment(),
                img.created() == null ? "" : img.created(),
                "",
                img.author() == null ? "" : img.author(),
                config(img.config()),
                img.architecture(),
                img.variant() == null || img.variant().isEmpty() ? null : img.variant(),
                img.os(),
                img.size(),
                new ContainerInspect.GraphDriver("overlay2", null),
                new ImageInspect.RootFs("layers", img.diffIds() == null ? List.of() : img.diffIds()),
                Map.of("LastTagTime", "0001-01-01T00:00:00Z"),
                null);
    }

    static ContainerConfig config(ImageRuntimeConfig c) {
        if (c == null) {
            return null;
        }
        ImageRuntimeConfig.Healthcheck h = c.healthcheck();
        HealthConfig health = h == null ? null : new HealthConfig(h.test(), nz(h.interval()), nz(h.timeout()),
                h.retries() == 0 ? null : h.retries(), nz(h.startPeriod()), nz(h.startInterval()));
        return new ContainerConfig("", "", c.user() == null ? "" : c.user(), false, false, false,
                set(c.exposedPorts()), false, false, false,
                c.env(), c.cmd(), health, c.argsEscaped(), "", set(c.volumes()),
                c.workingDir() == null ? "" : c.workingDir(), c.entrypoint(), null, c.onBuild(),
                c.labels(), c.stopSignal(), null, c.shell());
    }

    private static Long nz(long v) {
        return v == 0 ? null : v;
    }

    private static Map<String, Map<String, Object>> set(Set<String> s) {
        if (s == null) {
            return null;
        }
        Map<String, Map<String, Object>> m = new LinkedHashMap<>();
        s.forEach(k -> m.put(k, Map.of()));
        return m;
    }
}
