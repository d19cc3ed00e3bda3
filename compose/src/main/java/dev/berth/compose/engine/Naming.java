package dev.berth.compose.engine;

import java.util.Map;

/**
 * Docker Compose's object names: containers {@code <project>-<service>-<n>} (or
 * {@code container_name}), one-off run containers {@code <project>-<service>-run-<id12>},
 * networks/volumes {@code <project>_<key>} (filled by the loader as their {@code name}), the
 * image of a service that builds {@code <project>-<service>}. Pure utility.
 */
public final class Naming {
    private Naming() {}

    public static String container(String project, String service, int number, Map<String, Object> svc) {
        Object explicit = svc == null ? null : svc.get("container_name");
        return explicit != null ? explicit.toString() : project + "-" + service + "-" + number;
    }

    public static String oneOff(String project, String service, String randomHex) {
        return project + "-" + service + "-run-" + randomHex.substring(0, 12);
    }

    public static String builtImage(String project, String service) {
        return project + "-" + service;
    }

    public static String resource(String project, String key) {
        return project + "_" + key;
    }
}
