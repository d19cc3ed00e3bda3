package dev.berth.daemon.build;

import dev.berth.api.model.HealthConfig;
import java.util.List;
import java.util.Map;

/** Conversions between the API's container config and the image config's. Pure. */
final class Configs {
    private Configs() {}

    /** The image-config view of a container config (what {@code docker commit} records). */
    static dev.berth.oci.image.ContainerConfig toImage(dev.berth.api.model.ContainerConfig c) {
        if (c == null) {
            return null;
        }
        HealthConfig h = c.healthcheck();
        dev.berth.oci.image.ContainerConfig.HealthConfig hc = h == null ? null
                : new dev.berth.oci.image.ContainerConfig.HealthConfig(h.test(), nz(h.interval()), nz(h.timeout()),
                        nz(h.startPeriod()), nz(h.startInterval()), h.retries() == null ? 0 : h.retries());
        return new dev.berth.oci.image.ContainerConfig(blankToNull(c.user()), c.exposedPorts(), c.env(),
                c.entrypoint(), c.cmd(), c.volumes(), blankToNull(c.workingDir()), c.labels(),
                blankToNull(c.stopSignal()), hc, c.onBuild(), c.shell(), c.argsEscaped());
    }

    /** Fields set in {@code over} win; the rest come from {@code base} (moby's commit merge). */
    static dev.berth.oci.image.ContainerConfig overlay(dev.berth.oci.image.ContainerConfig base,
                                                       dev.berth.oci.image.ContainerConfig over) {
        if (over == null) {
            return base;
        }
        if (base == null) {
            return over;
        }
        return new dev.berth.oci.image.ContainerConfig(
                pick(over.user(), base.user()), pickMap(over.exposedPorts(), base.exposedPorts()),
                pickList(over.env(), base.env()), pickList(over.entrypoint(), base.entrypoint()),
                pickList(over.cmd(), base.cmd()), pickMap(over.volumes(), base.volumes()),
                pick(over.workingDir(), base.workingDir()), pickMap(over.labels(), base.labels()),
                pick(over.stopSignal(), base.stopSignal()), over.healthcheck() != null ? over.healthcheck() : base.healthcheck(),
                pickList(over.onBuild(), base.onBuild()), pickList(over.shell(), base.shell()),
                over.argsEscaped() != null ? over.argsEscaped() : base.argsEscaped());
    }

    private static String pick(String a, String b) {
        return a != null && !a.isEmpty() ? a : b;
    }

    private static <T> List<T> pickList(List<T> a, List<T> b) {
        return a != null && !a.isEmpty() ? a : b;
    }

    private static <K, V> Map<K, V> pickMap(Map<K, V> a, Map<K, V> b) {
        return a != null && !a.isEmpty() ? a : b;
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }

    static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
