package dev.berth.daemon.container;

import dev.berth.api.backend.MessageSink;
import dev.berth.common.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /containers/{id}/stats}: cgroup numbers from the runtime driver plus network
 * counters from {@code /proc/<pid>/net/dev}, with read/preread/precpu_stats filled from the
 * previous sample. Stateless between calls; thread-safe.
 */
final class StatsService {
    private final Engine e;
    private final Path proc;

    StatsService(Engine e, Path proc) {
        this.e = e;
        this.proc = proc;
    }

    void stats(Container c, boolean stream, boolean oneShot, MessageSink sink) {
        try {
            Map<String, Object> prev = null;
            if (!stream && !oneShot && running(c)) {
                prev = sample(c, null);
                Thread.sleep(1000);
            }
            while (true) {
                Map<String, Object> cur = sample(c, prev);
                sink.send(cur);
                if (!stream || sink.isClosed()) {
                    return;
                }
                prev = cur;
                Thread.sleep(1000);
                if (c.rec.state.removalInProgress || e.index.find(c.id()) == null) {
                    return;
                }
            }
        } catch (IOException ex) {
            // client gone
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean running(Container c) {
        return c.rec.state.running && !c.rec.state.restarting;
    }

    Map<String, Object> sample(Container c, Map<String, Object> prev) {
        Map<String, Object> out = new LinkedHashMap<>();
        ContainerRecord r = c.rec;
        out.put("name", r.name);
        out.put("id", r.id);
        out.put("read", e.now());
        out.put("preread", prev == null ? Times.ZERO : prev.get("read"));
        if (running(c)) {
            try {
                out.putAll(e.driver(r).stats(r.id));
            } catch (BerthException ex) {
                zero(out);
            }
            Map<String, Object> nets = networks(r.state.pid);
            if (!nets.isEmpty()) {
                out.put("networks", nets);
            }
        } else {
            zero(out);
        }
        out.put("name", r.name);
        out.put("id", r.id);
        out.put("precpu_stats", prev == null || prev.get("cpu_stats") == null ? zeroCpu() : prev.get("cpu_stats"));
        return out;
    }

    private static void zero(Map<String, Object> out) {
        out.put("pids_stats", Map.of());
        out.put("blkio_stats", Map.of("io_service_bytes_recursive", java.util.List.of()));
        out.put("num_procs", 0);
        out.put("storage_stats", Map.of());
        out.put("cpu_stats", zeroCpu());
        out.put("memory_stats", Map.of());
    }

    private static Map<String, Object> zeroCpu() {
        return Map.of("cpu_usage", Map.of("total_usage", 0, "usage_in_kernelmode", 0, "usage_in_usermode", 0),
                "throttling_data", Map.of("periods", 0, "throttled_periods", 0, "throttled_time", 0));
    }

    /** Per-interface counters of the container's network namespace (loopback excluded). */
    Map<String, Object> networks(int pid) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (pid <= 0) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(proc.resolve(Integer.toString(pid)).resolve("net/dev"))) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim();
                if (name.equals("lo")) {
                    continue;
                }
                String[] v = line.substring(colon + 1).trim().split("\\s+");
                if (v.length < 16) {
                    continue;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rx_bytes", Long.parseLong(v[0]));
                m.put("rx_packets", Long.parseLong(v[1]));
                m.put("rx_errors", Long.parseLong(v[2]));
                m.put("rx_dropped", Long.parseLong(v[3]));
                m.put("tx_bytes", Long.parseLong(v[8]));
                m.put("tx_packets", Long.parseLong(v[9]));
                m.put("tx_errors", Long.parseLong(v[10]));
                m.put("tx_dropped", Long.parseLong(v[11]));
                out.put(name, m);
            }
        } catch (IOException | RuntimeException ex) {
            // host network or exited: no per-container counters
        }
        return out;
    }
}
