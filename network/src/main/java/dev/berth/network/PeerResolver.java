package dev.berth.network;

import dev.berth.common.Ids;
import dev.berth.network.NetworkRecords.EndpointRecord;
import dev.berth.network.NetworkRecords.SandboxRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;

/**
 * Names one container can resolve through the embedded DNS: every container (itself included)
 * on a user-defined network it shares, by name, short or full id, and endpoint aliases
 * (Compose's service names). The default "bridge" network has no name resolution, as in Docker.
 * Thread-safe (reads the store under the service lock).
 */
final class PeerResolver implements EmbeddedDns.Resolver {
    private final Lock lock;
    private final NetworkStore store;

    PeerResolver(Lock lock, NetworkStore store) {
        this.lock = lock;
        this.store = store;
    }

    @Override
    public List<String> lookup(String containerId, String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        lock.lock();
        try {
            List<SandboxRecord> all = store.sandboxes();
            Optional<SandboxRecord> me = all.stream().filter(s -> s.containerId().equals(containerId)).findFirst();
            if (me.isEmpty()) {
                return List.of();
            }
            Set<String> nets = new HashSet<>();
            for (EndpointRecord e : me.get().endpoints()) {
                if (!BridgeNetworks.BRIDGE.equals(e.networkName())) {
                    nets.add(e.networkId());
                }
            }
            List<String> ips = new ArrayList<>();
            for (SandboxRecord s : all) {
                for (EndpointRecord e : s.endpoints()) {
                    if (e.ip() == null || !nets.contains(e.networkId()) || ips.contains(e.ip())) {
                        continue;
                    }
                    List<String> names = new ArrayList<>(List.of(Ids.shortId(s.containerId()), s.containerId()));
                    if (s.containerName() != null && !s.containerName().isEmpty()) {
                        names.add(s.containerName());
                    }
                    names.addAll(e.aliases() == null ? List.of() : e.aliases());
                    if (names.stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).equals(wanted))) {
                        ips.add(e.ip());
                    }
                }
            }
            return ips;
        } finally {
            lock.unlock();
        }
    }
}
