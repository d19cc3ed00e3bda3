package dev.berth.network;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.network.NetworkRecords.IpamState;
import java.util.Map;
import java.util.TreeMap;

/**
 * IPv4 address management for bridge networks. Allocations are persisted before they are
 * returned, so an address is never handed out twice, also across daemon restarts. Allocation
 * continues after the last handed-out address (round robin), so a just-released address is not
 * immediately reused. Not thread-safe: the service serialises access.
 */
final class Ipam {
    private final NetworkStore store;

    Ipam(NetworkStore store) {
        this.store = store;
    }

    /** Creates the pool of a network (idempotent); the gateway is reserved. */
    void createPool(String networkId, String subnet, String gateway) {
        createPool(networkId, subnet, gateway, null);
    }

    /** @param ipRange automatic allocation only from this CIDR (Docker's --ip-range), or null */
    void createPool(String networkId, String subnet, String gateway, String ipRange) {
        if (ipRange != null && !ipRange.isEmpty()) {
            Ipv4.Cidr range = Ipv4.Cidr.parse(ipRange);
            Ipv4.Cidr sub = Ipv4.Cidr.parse(subnet);
            if (range.prefix() < sub.prefix() || !sub.contains(range.network())) {
                throw BerthException.invalid("invalid ip-range %s: not inside subnet %s", ipRange, subnet);
            }
        }
        if (store.ipam(networkId).isEmpty()) {
            Map<String, String> alloc = new TreeMap<>();
            alloc.put(gateway, "gateway");
            store.putIpam(networkId, new IpamState(subnet, gateway, gateway, alloc, ipRange == null || ipRange.isEmpty() ? null : ipRange));
        }
    }

    /** Sets the range automatic allocation uses (null: the whole subnet); addresses already handed out stay. */
    void setRange(String networkId, String ipRange) {
        store.ipam(networkId).ifPresent(s -> {
            if (!java.util.Objects.equals(s.ipRange(), ipRange)) {
                store.putIpam(networkId, new IpamState(s.subnet(), s.gateway(), s.last(), s.allocated(), ipRange));
            }
        });
    }

    /**
     * @param requested a specific address, or null/empty for the next free one
     * @return the address (without prefix)
     */
    String allocate(String networkId, String owner, String requested) {
        IpamState s = state(networkId);
        Ipv4.Cidr subnet = Ipv4.Cidr.parse(s.subnet());
        Map<String, String> alloc = new TreeMap<>(s.allocated());
        String ip;
        if (requested != null && !requested.isEmpty()) {
            long v = Ipv4.parse(requested);
            if (!subnet.contains(v) || v == subnet.network() || v == subnet.broadcast()) {
                throw BerthException.invalid("no configured subnet or ip-range contain the IP address %s", requested);
            }
            ip = Ipv4.format(v);
            if (alloc.containsKey(ip)) {
                throw new BerthException(ErrorKind.CONFLICT, "Address already in use");
            }
        } else {
            Ipv4.Cidr range = s.ipRange() == null ? subnet : Ipv4.Cidr.parse(s.ipRange());
            long first = Math.max(range.network(), subnet.network() + 1);
            long last = Math.min(range.broadcast(), subnet.broadcast() - 1);
            long size = last - first + 1;
            long start = s.last() == null ? first : Ipv4.parse(s.last()) + 1;
            if (start < first || start > last) {
                start = first;
            }
            ip = null;
            for (long i = 0; i < size; i++) {
                long cand = first + Math.floorMod(start - first + i, size);
                String c = Ipv4.format(cand);
                if (!alloc.containsKey(c)) {
                    ip = c;
                    break;
                }
            }
            if (ip == null) {
                throw BerthException.unavailable("no available IPv4 addresses on network %s (subnet %s)", networkId, s.subnet());
            }
        }
        alloc.put(ip, owner);
        store.putIpam(networkId, new IpamState(s.subnet(), s.gateway(), ip, alloc, s.ipRange()));
        return ip;
    }

    /** Releases an address; unknown addresses are ignored. */
    void release(String networkId, String ip) {
        store.ipam(networkId).ifPresent(s -> {
            if (s.allocated().containsKey(ip) && !"gateway".equals(s.allocated().get(ip))) {
                Map<String, String> alloc = new TreeMap<>(s.allocated());
                alloc.remove(ip);
                store.putIpam(networkId, new IpamState(s.subnet(), s.gateway(), s.last(), alloc, s.ipRange()));
            }
        });
    }

    /** Releases every address of an owner (crash recovery). */
    void releaseOwner(String networkId, String owner) {
        store.ipam(networkId).ifPresent(s -> {
            Map<String, String> alloc = new TreeMap<>(s.allocated());
            if (alloc.values().removeIf(owner::equals)) {
                store.putIpam(networkId, new IpamState(s.subnet(), s.gateway(), s.last(), alloc, s.ipRange()));
            }
        });
    }

    Map<String, String> allocations(String networkId) {
        return store.ipam(networkId).map(IpamState::allocated).orElse(Map.of());
    }

    private IpamState state(String networkId) {
        return store.ipam(networkId).orElseThrow(() -> BerthException.internal("no IPAM pool for network " + networkId, null));
    }
}
