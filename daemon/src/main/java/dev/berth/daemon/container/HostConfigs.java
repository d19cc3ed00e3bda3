package dev.berth.daemon.container;

import dev.berth.api.model.ContainerConfig;
import dev.berth.api.model.HostConfig;
import dev.berth.common.Json;
import dev.berth.daemon.config.ContainerDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copy-with-changes for the wide API records (HostConfig has ~60 fields), done through their JSON
 * form so that no field is forgotten. Pure.
 */
final class HostConfigs {
    static final List<String> DEFAULT_MASKED = List.of("/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");

    private HostConfigs() {}

    static HostConfig empty() {
        return Json.mapper().convertValue(Map.of(), HostConfig.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(Object o) {
        return new LinkedHashMap<>(Json.mapper().convertValue(o, Map.class));
    }

    static ContainerConfig withHostname(ContainerConfig c, String hostname) {
        Map<String, Object> m = toMap(c);
        m.put("Hostname", hostname);
        if (!m.containsKey("Domainname")) {
            m.put("Domainname", "");
        }
        return Json.mapper().convertValue(m, ContainerConfig.class);
    }

    /** The same HostConfig with {@code Links} replaced (null removes them). */
    static HostConfig withLinks(HostConfig hc, List<String> links) {
        Map<String, Object> m = toMap(hc);
        m.put("Links", links);
        return Json.mapper().convertValue(m, HostConfig.class);
    }

    /**
     * Docker's create-time defaults, shown by inspect, with the daemon's: like dockerd's adaptContainerSettings, the shm size and
     * cgroup namespace mode are written into the HostConfig here (the rest applies at each start), and
     * the log config is dockerd's mergeAndVerifyLogConfig: a container that names no log driver gets
     * the daemon's (which it keeps if the daemon's changes), and one on the daemon's driver gets the
     * daemon's log-opts under its own.
     *
     * @param daemonLog the daemon's {@code log-driver} and {@code log-opts}
     */
    private static Map<String, Object> mergedLogConfig(HostConfig.LogConfig own, HostConfig.LogConfig daemonLog) {
        String daemonType = daemonLog == null || daemonLog.type() == null || daemonLog.type().isEmpty() ? "json-file" : daemonLog.type();
        String type = own == null || own.type() == null || own.type().isEmpty() ? daemonType : own.type();
        Map<String, String> config = new java.util.TreeMap<>();
        if (type.equals(daemonType) && daemonLog != null && daemonLog.config() != null) {
            config.putAll(daemonLog.config());
        }
        if (own != null && own.config() != null) {
            config.putAll(own.config());
        }
        return Map.of("Type", type, "Config", config);
    }

    static HostConfig withDefaults(HostConfig hc, String defaultRuntime, String networkMode, ContainerDefaults daemon,
            HostConfig.LogConfig daemonLog) {
        Map<String, Object> m = toMap(hc);
        m.put("NetworkMode", networkMode);
        if (hc.shmSize() == null || hc.shmSize() == 0) {
            m.put("ShmSize", daemon.shmSize());
        }
        SecurityOpts sec = SecurityOpts.parse(hc.securityOpt());
        if (sec.systemPathsUnconfined()) {
            m.put("MaskedPaths", List.of());
            m.put("ReadonlyPaths", List.of());
        } else if (!hc.privileged()) {
            if (hc.maskedPaths() == null) {
                m.put("MaskedPaths", defaultMaskedPaths(Path.of("/sys/devices/system/cpu")));
            }
            if (hc.readonlyPaths() == null) {
                m.put("ReadonlyPaths", ContainerCreator.DEFAULT_READONLY);
            }
        }
        m.put("LogConfig", mergedLogConfig(hc.logConfig(), daemonLog));
        if (hc.runtime() == null || hc.runtime().isEmpty()) {
            m.put("Runtime", defaultRuntime);
        }
        if (hc.restartPolicy() == null || hc.restartPolicy().name() == null || hc.restartPolicy().name().isEmpty()) {
            m.put("RestartPolicy", Map.of("Name", "no", "MaximumRetryCount", 0));
        }
        if (hc.cgroupnsMode() == null || hc.cgroupnsMode().isEmpty()) {
            m.put("CgroupnsMode", daemon.cgroupnsMode() != null ? daemon.cgroupnsMode() : "host");
        }
        if (hc.ipcMode() == null || hc.ipcMode().isEmpty()) {
            m.put("IpcMode", "private");
        }
        if (hc.consoleSize() == null) {
            m.put("ConsoleSize", List.of(0, 0));
        }
        return Json.mapper().convertValue(m, HostConfig.class);
    }

    /** Masked paths plus {@code /sys/devices/system/cpu/cpuN/thermal_throttle} where present. */
    static List<String> defaultMaskedPaths(Path cpuDir) {
        List<String> out = new ArrayList<>(DEFAULT_MASKED);
        if (Files.isDirectory(cpuDir)) {
            try (var s = Files.list(cpuDir)) {
                s.filter(p -> p.getFileName().toString().matches("cpu\\d+"))
                        .sorted((a, b) -> Integer.compare(num(a), num(b)))
                        .map(p -> p.resolve("thermal_throttle"))
                        .filter(Files::exists)
                        .forEach(p -> out.add(p.toString()));
            } catch (java.io.IOException ignored) {
                // no per-cpu entries
            }
        }
        return out;
    }

    private static int num(Path p) {
        return Integer.parseInt(p.getFileName().toString().substring(3));
    }

    /** Applies the resource fields and restart policy of an update request. */
    static HostConfig withUpdate(HostConfig current, HostConfig update) {
        Map<String, Object> m = toMap(current);
        Map<String, Object> u = toMap(update);
        for (String k : List.of("CpuShares", "Memory", "CgroupParent", "BlkioWeight", "CpuPeriod", "CpuQuota", "CpuRealtimePeriod",
                "CpuRealtimeRuntime", "CpusetCpus", "CpusetMems", "MemoryReservation", "MemorySwap", "MemorySwappiness", "NanoCpus",
                "OomKillDisable", "PidsLimit", "Ulimits", "Devices", "DeviceCgroupRules")) {
            Object v = u.get(k);
            if (v != null && !(v instanceof Number n && n.longValue() == 0) && !(v instanceof String s && s.isEmpty())) {
                m.put(k, v);
            }
        }
        if (update.nanoCpus() != null && update.nanoCpus() > 0) {
            m.remove("CpuQuota");
            m.remove("CpuPeriod");
        }
        if (update.restartPolicy() != null && update.restartPolicy().name() != null && !update.restartPolicy().name().isEmpty()) {
            m.put("RestartPolicy", u.get("RestartPolicy"));
        }
        return Json.mapper().convertValue(m, HostConfig.class);
    }
}
