package dev.berth.network;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.network.NetworkRecords.IpamState;
import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * IPv6 address management of networks with {@code EnableIPv6}: the same contract as
 * {@link Ipam} (persisted before returned, never handed out twice, also across restarts; round
 * robin after the last one), on 128-bit addresses. State is kept as an {@link IpamState} under
 * the key {@code <network-id>-v6}. Not thread-safe: the service serialises access.
 */
final class Ipam6 {
    static final String SUFFIX = "-v6";
    /** How far a scan for a free address goes; a /64 is never scanned to its end. */
    private static final int SCAN_LIMIT = 1 << 16;

    private final NetworkStore store;

    Ipam6(NetworkStore store) {
        this.store = store;
    }

    void createPool(String networkId, String subnet6, String gateway6) {
        if (store.ipam(networkId + SUFFIX).isEmpty()) {
            Map<String, String> alloc = new TreeMap<>();
            alloc.put(gateway6, "gateway");
            store.putIpam(networkId + SUFFIX, new IpamState(subnet6, gateway6, gateway6, alloc, null));
        }
    }

    String allocate(String networkId, String owner, String requested) {
        IpamState s = store.ipam(networkId + SUFFIX)
                .orElseThrow(() -> BerthException.invalid("network %s has no IPv6 pool (create it with --ipv6)", networkId));
        Ipv6.Cidr subnet = Ipv6.Cidr.parse(s.subnet());
        Map<String, String> alloc = new TreeMap<>(s.allocated());
        String ip = null;
        if (requested != null && !requested.isEmpty()) {
            BigInteger v = Ipv6.parse(requested);
            if (!subnet.contains(v) || v.equals(subnet.network())) {
                throw BerthException.invalid("no configured subnet or ip-range contain the IP address %s", requested);
            }
            ip = Ipv6.format(v);
            if (alloc.containsKey(ip)) {
                throw new BerthException(ErrorKind.CONFLICT, "Address already in use");
            }
        } else {
            BigInteger first = subnet.network().add(BigInteger.ONE);
            BigInteger last = subnet.last();
            BigInteger cand = s.last() == null ? first : Ipv6.parse(s.last()).add(BigInteger.ONE);
            for (int i = 0; i < SCAN_LIMIT; i++) {
                if (cand.compareTo(last) > 0 || cand.compareTo(first) < 0) {
                    cand = first;
                }
                String c = Ipv6.format(cand);
                if (!alloc.containsKey(c)) {
                    ip = c;
                    break;
                }
                cand = cand.add(BigInteger.ONE);
            }
            if (ip == null) {
                throw BerthException.unavailable("no available IPv6 addresses on network %s (subnet %s)", networkId, s.subnet());
            }
        }
        alloc.put(ip, owner);
        store.putIpam(networkId + SUFFIX, new IpamState(s.subnet(), s.gateway(), ip, alloc, null));
        return ip;
    }

    void release(String networkId, String ip) {
        store.ipam(networkId + SUFFIX).ifPresent(s -> {
            if (s.allocated().containsKey(ip) && !"gateway".equals(s.allocated().get(ip))) {
                Map<String, String> alloc = new TreeMap<>(s.allocated());
                alloc.remove(ip);
                store.putIpam(networkId + SUFFIX, new IpamState(s.subnet(), s.gateway(), s.last(), alloc, null));
            }
        });
    }

    void releaseOwner(String networkId, String owner) {
        store.ipam(networkId + SUFFIX).ifPresent(s -> {
            Map<String, String> alloc = new TreeMap<>(s.allocated());
            if (alloc.values().removeIf(owner::equals)) {
                store.putIpam(networkId + SUFFIX, new IpamState(s.subnet(), s.gateway(), s.last(), alloc, null));
            }
        });
    }
}
