package dev.berth.runtime;

import dev.berth.sys.cgroup.Cgroups;
import dev.berth.sys.proc.ProcFs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a container's cgroup (v1 or v2) into Docker's stats JSON shape ({@code cpu_stats},
 * {@code memory_stats}, {@code pids_stats}, {@code blkio_stats}); the caller adds
 * {@code read}/{@code preread}, {@code precpu_stats} and {@code networks}. Thread-safe.
 */
final class CgroupStats {
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ = 100

    private final Cgroups cgroups;
    private final ProcFs proc;

    CgroupStats(Cgroups cgroups, ProcFs proc) {
        this.cgroups = cgroups;
        this.proc = proc;
    }

    Map<String, Object> read(String cgroupsPath) {
        Map<String, Object> s = new LinkedHashMap<>();
        boolean v2 = cgroups.mode() == Cgroups.Mode.V2;
        try {
            s.put("cpu_stats", v2 ? cpuV2(cgroupsPath) : cpuV1(cgroupsPath));
        } catch (IOException e) {
            s.put("cpu_stats", Map.of());
        }
        s.put("memory_stats", v2 ? memoryV2(cgroupsPath) : memoryV1(cgroupsPath));
        s.put("pids_stats", pids(cgroupsPath, v2));
        s.put("blkio_stats", v2 ? blkioV2(cgroupsPath) : blkioV1(cgroupsPath));
        s.put("num_procs", 0);
        s.put("storage_stats", Map.of());
        return s;
    }

    private Map<String, Object> cpuV1(String path) throws IOException {
        Path acct = cgroups.v1Dir("cpuacct", path).orElse(Path.of("/nonexistent"));
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("total_usage", Cgroups.readLong(acct.resolve("cpuacct.usage")).orElse(0L));
        List<Long> percpu = new ArrayList<>();
        Cgroups.read(acct.resolve("cpuacct.usage_percpu")).ifPresent(t -> {
            for (String f : t.trim().split("\\s+")) {
                if (!f.isEmpty()) {
                    percpu.add(Long.parseLong(f));
                }
            }
        });
        usage.put("percpu_usage", percpu);
        Map<String, Long> st = Cgroups.readKeyValues(acct.resolve("cpuacct.stat"));
        usage.put("usage_in_kernelmode", st.getOrDefault("system", 0L) * NANOS_PER_TICK);
        usage.put("usage_in_usermode", st.getOrDefault("user", 0L) * NANOS_PER_TICK);
        Map<String, Long> cpuStat = cgroups.v1Dir("cpu", path).map(d -> Cgroups.readKeyValues(d.resolve("cpu.stat"))).orElse(Map.of());
        return cpu(usage, cpuStat.getOrDefault("nr_periods", 0L), cpuStat.getOrDefault("nr_throttled", 0L), cpuStat.getOrDefault("throttled_time", 0L));
    }

    private Map<String, Object> cpuV2(String path) throws IOException {
        Map<String, Long> st = cgroups.v2Dir(path).map(d -> Cgroups.readKeyValues(d.resolve("cpu.stat"))).orElse(Map.of());
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("total_usage", st.getOrDefault("usage_usec", 0L) * 1000);
        usage.put("usage_in_kernelmode", st.getOrDefault("system_usec", 0L) * 1000);
        usage.put("usage_in_usermode", st.getOrDefault("user_usec", 0L) * 1000);
        return cpu(usage, st.getOrDefault("nr_periods", 0L), st.getOrDefault("nr_throttled", 0L), st.getOrDefault("throttled_usec", 0L) * 1000);
    }

    private Map<String, Object> cpu(Map<String, Object> usage, long periods, long throttled, long throttledTime) throws IOException {
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("cpu_usage", usage);
        cpu.put("system_cpu_usage", proc.systemCpuNanos());
        cpu.put("online_cpus", proc.onlineCpus());
        cpu.put("throttling_data", Map.of("periods", periods, "throttled_periods", throttled, "throttled_time", throttledTime));
        return cpu;
    }

    private long hostMemory() {
        try {
            return proc.memTotal();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    private Map<String, Object> memoryV1(String path) {
        Optional<Path> d = cgroups.v1Dir("memory", path);
        Map<String, Object> m = new LinkedHashMap<>();
        if (d.isEmpty()) {
            return m;
        }
        Path dir = d.get();
        m.put("usage", Cgroups.readLong(dir.resolve("memory.usage_in_bytes")).orElse(0L));
        m.put("max_usage", Cgroups.readLong(dir.resolve("memory.max_usage_in_bytes")).orElse(0L));
        m.put("stats", Cgroups.readKeyValues(dir.resolve("memory.stat")));
        m.put("failcnt", Cgroups.readLong(dir.resolve("memory.failcnt")).orElse(0L));
        long limit = Cgroups.readLong(dir.resolve("memory.limit_in_bytes")).orElse(Long.MAX_VALUE);
        m.put("limit", Math.min(limit, hostMemory()));
        return m;
    }

    private Map<String, Object> memoryV2(String path) {
        Optional<Path> d = cgroups.v2Dir(path);
        Map<String, Object> m = new LinkedHashMap<>();
        if (d.isEmpty()) {
            return m;
        }
        Path dir = d.get();
        m.put("usage", Cgroups.readLong(dir.resolve("memory.current")).orElse(0L));
        m.put("stats", Cgroups.readKeyValues(dir.resolve("memory.stat")));
        long limit = Cgroups.readLong(dir.resolve("memory.max")).orElse(-1L);
        m.put("limit", limit < 0 ? hostMemory() : Math.min(limit, hostMemory()));
        return m;
    }

    private Map<String, Object> pids(String path, boolean v2) {
        Optional<Path> d = v2 ? cgroups.v2Dir(path) : cgroups.v1Dir("pids", path);
        Map<String, Object> p = new LinkedHashMap<>();
        d.ifPresent(dir -> {
            p.put("current", Cgroups.readLong(dir.resolve("pids.current")).orElse(0L));
            long max = Cgroups.readLong(dir.resolve("pids.max")).orElse(-1L);
            if (max > 0) {
                p.put("limit", max);
            }
        });
        return p;
    }

    private Map<String, Object> blkioV1(String path) {
        Map<String, Object> b = emptyBlkio();
        cgroups.v1Dir("blkio", path).ifPresent(dir -> {
            b.put("io_service_bytes_recursive", blkioEntries(firstExisting(dir, "blkio.io_service_bytes_recursive", "blkio.throttle.io_service_bytes_recursive")));
            b.put("io_serviced_recursive", blkioEntries(firstExisting(dir, "blkio.io_serviced_recursive", "blkio.throttle.io_serviced_recursive")));
        });
        return b;
    }

    private static Path firstExisting(Path dir, String... names) {
        for (String n : names) {
            if (java.nio.file.Files.exists(dir.resolve(n))) {
                return dir.resolve(n);
            }
        }
        return dir.resolve(names[names.length - 1]);
    }

    /** Lines "8:0 Read 1234" → {major, minor, op, value}; the "Total" line is skipped. */
    private static List<Map<String, Object>> blkioEntries(Path file) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Cgroups.readLines(file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 3 || !f[0].contains(":")) {
                continue;
            }
            String[] mm = f[0].split(":");
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("major", Long.parseLong(mm[0]));
            e.put("minor", Long.parseLong(mm[1]));
            e.put("op", f[1].toLowerCase(java.util.Locale.ROOT));
            e.put("value", Long.parseLong(f[2]));
            out.add(e);
        }
        return out;
    }

    private Map<String, Object> blkioV2(String path) {
        Map<String, Object> b = emptyBlkio();
        cgroups.v2Dir(path).ifPresent(dir -> {
            List<Map<String, Object>> bytes = new ArrayList<>();
            List<Map<String, Object>> ios = new ArrayList<>();
            for (String line : Cgroups.readLines(dir.resolve("io.stat"))) {
                String[] f = line.trim().split("\\s+");
                String[] mm = f[0].split(":");
                if (mm.length != 2) {
                    continue;
                }
                for (int i = 1; i < f.length; i++) {
                    String[] kv = f[i].split("=");
                    if (kv.length != 2) {
                        continue;
                    }
                    List<Map<String, Object>> target = switch (kv[0]) {
                        case "rbytes", "wbytes" -> bytes;
                        case "rios", "wios" -> ios;
                        default -> null;
                    };
                    if (target != null) {
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("major", Long.parseLong(mm[0]));
                        e.put("minor", Long.parseLong(mm[1]));
                        e.put("op", kv[0].startsWith("r") ? "read" : "write");
                        e.put("value", Long.parseLong(kv[1]));
                        target.add(e);
                    }
                }
            }
            b.put("io_service_bytes_recursive", bytes);
            b.put("io_serviced_recursive", ios);
        });
        return b;
    }

    private static Map<String, Object> emptyBlkio() {
        Map<String, Object> b = new LinkedHashMap<>();
        for (String k : List.of("io_service_bytes_recursive", "io_serviced_recursive", "io_queue_recursive", "io_service_time_recursive",
                "io_wait_time_recursive", "io_merged_recursive", "io_time_recursive", "sectors_recursive")) {
            b.put(k, null);
        }
        return b;
    }
}
