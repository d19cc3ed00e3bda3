package dev.berth.network;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.network.NetworkService.PortBindingRequest;
import dev.berth.sys.net.PortProbe;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Resolves requested port bindings ({@code -p}, {@code -P}) to concrete host ports. A port is
 * handed out only if no other sandbox holds it (the caller passes every recorded mapping, which
 * are persisted, so this holds across restarts) and it can be bound on the host right now.
 * Random ports come from the ephemeral range 32768–60999, as Docker's. Not thread-safe: the
 * service serialises access.
 */
final class PortAllocator {
    static final int LOW = 32768;
    static final int HIGH = 60999;

    private final PortProbe probe;
    private final RandomGenerator random;

    PortAllocator(PortProbe probe, RandomGenerator random) {
        this.probe = probe;
        this.random = random;
    }

    /** @param unpublished container ports that are exposed or requested but bound to no host port */
    record Resolved(List<PortMapping> mappings, List<String> unpublished) {}

    Resolved resolve(Map<String, List<PortBindingRequest>> ports, boolean publishAll, List<String> exposed,
                     String defaultIp, Collection<PortMapping> inUse) {
        return resolve(ports, publishAll, exposed, defaultIp, inUse, false);
    }

    /**
     * @param dualStack the container has an IPv6 address: a binding without a host address on
     *                  the default 0.0.0.0 is also published on "::" with the same host port (as Docker)
     */
    Resolved resolve(Map<String, List<PortBindingRequest>> ports, boolean publishAll, List<String> exposed,
                     String defaultIp, Collection<PortMapping> inUse, boolean dualStack) {
        Resolved r = resolve4(ports, publishAll, exposed, defaultIp, inUse);
        if (!dualStack || !"0.0.0.0".equals(defaultIp)) {
            return r;
        }
        List<PortMapping> out = new ArrayList<>(r.mappings());
        List<PortMapping> taken = new ArrayList<>(inUse);
        taken.addAll(out);
        for (PortMapping m : r.mappings()) {
            boolean explicitIp = ports != null && ports.entrySet().stream()
                    .filter(e -> normalizeKey(e.getKey()).equals(m.key()))
                    .flatMap(e -> e.getValue() == null ? java.util.stream.Stream.empty() : e.getValue().stream())
                    .anyMatch(b -> b != null && b.hostIp() != null && !b.hostIp().isEmpty());
            if ("0.0.0.0".equals(m.hostIp()) && !explicitIp && !conflicts(taken, m.proto(), "::", m.hostPort())
                    && probe.isFree(m.proto(), "::", m.hostPort())) {
                PortMapping v6 = new PortMapping(m.proto(), "::", m.hostPort(), m.containerPort());
                out.add(v6);
                taken.add(v6);
            }
        }
        return new Resolved(out, r.unpublished());
    }

    private Resolved resolve4(Map<String, List<PortBindingRequest>> ports, boolean publishAll, List<String> exposed,
                              String defaultIp, Collection<PortMapping> inUse) {
        List<PortMapping> taken = new ArrayList<>(inUse);
        List<PortMapping> out = new ArrayList<>();
        Set<String> unpublished = new LinkedHashSet<>();
        Map<String, List<PortBindingRequest>> req = ports == null ? Map.of() : ports;
        for (var e : new java.util.TreeMap<>(req).entrySet()) {
            List<PortBindingRequest> bindings = e.getValue() == null ? List.of() : e.getValue();
            if (bindings.isEmpty()) {
                unpublished.add(normalizeKey(e.getKey()));
            }
            for (PortBindingRequest b : bindings) {
                PortMapping m = bind(e.getKey(), b == null ? null : b.hostIp(), b == null ? null : b.hostPort(), defaultIp, taken);
                if (m != null) {
                    out.add(m);
                    taken.add(m);
                }
            }
        }
        for (String key : exposed == null ? List.<String>of() : exposed) {
            String k = normalizeKey(key);
            boolean requested = req.keySet().stream().anyMatch(r -> normalizeKey(r).equals(k));
            if (requested) {
                continue;
            }
            if (publishAll) {
                PortMapping m = bind(k, null, null, defaultIp, taken);
                out.add(m);
                taken.add(m);
            } else {
                unpublished.add(k);
            }
        }
        if (publishAll) {
            // -P also publishes ports that were requested with no host binding.
            for (String k : List.copyOf(unpublished)) {
                PortMapping m = bind(k, null, null, defaultIp, taken);
                out.add(m);
                taken.add(m);
                unpublished.remove(k);
            }
        }
        unpublished.removeIf(k -> out.stream().anyMatch(m -> m.key().equals(k)));
        return new Resolved(out, List.copyOf(unpublished));
    }

    static String normalizeKey(String key) {
        return key.contains("/") ? key.toLowerCase() : key + "/tcp";
    }

    /** A binding on an IPv6 host address ("::", "::1") is kept; its NAT rules need an IPv6 container address. */
    private PortMapping bind(String key, String hostIp, String hostPort, String defaultIp, List<PortMapping> taken) {
        String k = normalizeKey(key);
        int slash = k.indexOf('/');
        String proto = k.substring(slash + 1);
        if (!List.of("tcp", "udp", "sctp").contains(proto)) {
            throw BerthException.invalid("invalid proto: %s", proto);
        }
        int cport = parsePort(k.substring(0, slash), key);
        String ip = hostIp == null || hostIp.isEmpty() ? defaultIp : hostIp;
        ip = ip.contains(":") ? Ipv6.normalize(ip) : Ipv4.format(Ipv4.parse(ip));
        int low = LOW;
        int high = HIGH;
        boolean explicit = false;
        if (hostPort != null && !hostPort.isEmpty() && !"0".equals(hostPort)) {
            int dash = hostPort.indexOf('-');
            if (dash > 0) {
                low = parsePort(hostPort.substring(0, dash), hostPort);
                high = parsePort(hostPort.substring(dash + 1), hostPort);
                if (high < low) {
                    throw BerthException.invalid("invalid hostPort: %s", hostPort);
                }
            } else {
                low = high = parsePort(hostPort, hostPort);
                explicit = true;
            }
        }
        int span = high - low + 1;
        int start = explicit ? 0 : random.nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = low + (start + i) % span;
            if (!conflicts(taken, proto, ip, port) && probe.isFree(proto, ip, port)) {
                return new PortMapping(proto, ip, port, cport);
            }
        }
        if (span == 1) {
            throw new BerthException(ErrorKind.CONFLICT, "Bind for %s:%d failed: port is already allocated".formatted(ip, low));
        }
        throw BerthException.unavailable("all ports are allocated in range %d-%d", low, high);
    }

    private static boolean conflicts(List<PortMapping> taken, String proto, String ip, int port) {
        for (PortMapping m : taken) {
            boolean sameFamily = m.hostIp().contains(":") == ip.contains(":");
            if (m.hostPort() == port && m.proto().equals(proto) && (m.hostIp().equals(ip)
                    || (sameFamily && (wildcard(ip) || wildcard(m.hostIp()))))) {
                return true;
            }
        }
        return false;
    }

    private static boolean wildcard(String ip) {
        return "0.0.0.0".equals(ip) || "::".equals(ip);
    }

    private static int parsePort(String s, String whole) {
        try {
            int p = Integer.parseInt(s.strip());
            if (p < 1 || p > 65535) {
                throw BerthException.invalid("invalid port: %s", whole);
            }
            return p;
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid port: %s", whole);
        }
    }
}
