package dev.berth.compose.engine;

import dev.berth.compose.loader.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resource settings of a service into HostConfig: {@code deploy.resources.limits} (cpus, memory,
 * pids), the legacy {@code mem_limit}/{@code cpus}/{@code pids_limit}/{@code cpu_shares}, and
 * GPU/device reservations ({@code deploy.resources.reservations.devices}, {@code gpus}) as
 * {@code DeviceRequests} passed through to the engine, which refuses them where it has no GPU.
 */
final class Resources {
    private Resources() {}

    static void apply(Map<String, Object> s, Map<String, Object> hc) {
        Map<String, Object> res = Values.map(Values.map(s, "deploy"), "resources");
        Map<String, Object> limits = Values.map(res, "limits");
        Map<String, Object> reservations = Values.map(res, "reservations");
        Object cpus = limits.get("cpus") != null ? limits.get("cpus") : s.get("cpus");
        if (cpus != null) {
            hc.put("NanoCpus", (long) (Double.parseDouble(Values.str(cpus)) * 1e9));
        }
        Object mem = limits.get("memory") != null ? limits.get("memory") : s.get("mem_limit");
        if (mem != null) {
            hc.put("Memory", Units.bytes(mem));
        }
        Object memRes = reservations.get("memory") != null ? reservations.get("memory") : s.get("mem_reservation");
        if (memRes != null) {
            hc.put("MemoryReservation", Units.bytes(memRes));
        }
        if (s.get("memswap_limit") != null) {
            hc.put("MemorySwap", Units.bytes(s.get("memswap_limit")));
        }
        Object pids = limits.get("pids") != null ? limits.get("pids") : s.get("pids_limit");
        if (pids != null) {
            hc.put("PidsLimit", Long.parseLong(Values.str(pids)));
        }
        if (s.get("cpu_shares") != null) {
            hc.put("CpuShares", Long.parseLong(Values.str(s.get("cpu_shares"))));
        }
        if (s.get("cpuset") != null) {
            hc.put("CpusetCpus", Values.str(s.get("cpuset")));
        }
        List<Object> requests = new ArrayList<>();
        for (Object d : Values.list(reservations, "devices")) {
            requests.add(deviceRequest(Normalize.map(d)));
        }
        for (Object g : Values.list(s, "gpus")) {
            Map<String, Object> m = Normalize.map(g);
            m.putIfAbsent("capabilities", List.of("gpu"));
            requests.add(deviceRequest(m));
        }
        if (!requests.isEmpty()) {
            hc.put("DeviceRequests", requests);
        }
    }

    private static Map<String, Object> deviceRequest(Map<String, Object> d) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("Driver", d.get("driver") == null ? "" : Values.str(d.get("driver")));
        Object count = d.get("count");
        r.put("Count", count == null ? (d.get("device_ids") == null ? -1 : 0)
                : "all".equals(Values.str(count)) ? -1 : Long.parseLong(Values.str(count)));
        List<String> ids = new ArrayList<>();
        Values.list(d, "device_ids").forEach(x -> ids.add(Values.str(x)));
        r.put("DeviceIDs", ids);
        List<String> caps = new ArrayList<>();
        Values.list(d, "capabilities").forEach(x -> caps.add(Values.str(x)));
        r.put("Capabilities", List.of(caps));
        r.put("Options", Values.map(d, "options"));
        return r;
    }

    /** Small cast helper. */
    static final class Normalize {
        @SuppressWarnings("unchecked")
        static Map<String, Object> map(Object o) {
            return o instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
        }
    }
}
