package dev.berth.network;

import dev.berth.common.Ids;
import dev.berth.network.NetworkRecords.EndpointRecord;
import dev.berth.network.NetworkRecords.SandboxRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Names one container can resolve through the embedded DNS: every container (itself included)
 * on a user-defined network it shares, by name, short or full id, endpoint aliases (Compose's
 * service names; several containers may share one: all their addresses are answered), and
 * {@code <name>.<network>}; and reverse lookups of their addresses ({@code <name>.<network>}).
 * The default "bridge" network has no name resolution, as in Docker. Works on an immutable
 * snapshot of the sandboxes that the service replaces after each change ({@link #refresh}), so
 * lookups never block and never read the disk. Thread-safe.
 */
final class PeerResolver implements EmbeddedDns.Resolver {
    private volatile List<SandboxRecord> sandboxes = List.of();

    /** Replaces the view; the service calls it (under its lock) after every sandbox change. */
    void refresh(List<SandboxRecord> all) {
        sandboxes = List.copyOf(all);
    }

    /** The names a container's endpoint answers to on a user-defined network (Docker's DNSNames). */
    static List<String> dnsNames(SandboxRecord s, EndpointRecord e) {
        List<String> names = new ArrayList<>();
        if (s.containerName() != null && !s.containerName().isEmpty()) {
            names.add(s.containerName());
        }
        for (String a : e.aliases() == null ? List.<String>of() : e.aliases()) {
            if (!names.contains(a)) {
                names.add(a);
            }
        }
        names.add(Ids.shortId(s.containerId()));
        return names;
    }

    private Set<String> sharedNetworks(List<SandboxRecord> all, String containerId) {
        Set<String> nets = new HashSet<>();
        for (SandboxRecord s : all) {
            if (s.containerId().equals(containerId)) {
                for (EndpointRecord e : s.endpoints()) {
                    if (!BridgeNetworks.BRIDGE.equals(e.networkName()) && e.ip() != null) {
                        nets.add(e.networkId());
                    }
                }
            }
        }
        return nets;
    }

    @Override
    public EmbeddedDns.Answer lookup(String containerId, String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        List<SandboxRecord> all = sandboxes;
        Set<String> nets = sharedNetworks(all, containerId);
        if (nets.isEmpty()) {
            return null;
        }
        List<String> v4 = new ArrayList<>();
        List<String> v6 = new ArrayList<>();
        boolean found = false;
        for (SandboxRecord s : all) {
            for (EndpointRecord e : s.endpoints()) {
                if (e.ip() == null || !nets.contains(e.networkId())) {
                    continue;
                }
                List<String> names = new ArrayList<>(dnsNames(s, e));
                names.add(s.containerId());
                boolean match = false;
                for (String n : names) {
                    String l = n.toLowerCase(Locale.ROOT);
                    if (l.equals(wanted) || (l + "." + e.networkName().toLowerCase(Locale.ROOT)).equals(wanted)) {
                        match = true;
                        break;
                    }
                }
                if (match) {
                    found = true;
                    if (!v4.contains(e.ip())) {
                        v4.add(e.ip());
                    }
                    if (e.ip6() != null && !v6.contains(e.ip6())) {
                        v6.add(e.ip6());
                    }
                }
            }
        }
        return found ? new EmbeddedDns.Answer(v4, v6) : null;
    }

    @Override
    public List<String> reverse(String containerId, String ip) {
        List<SandboxRecord> all = sandboxes;
        Set<String> nets = sharedNetworks(all, containerId);
        List<String> out = new ArrayList<>();
        for (SandboxRecord s : all) {
            for (EndpointRecord e : s.endpoints()) {
                if (nets.contains(e.networkId()) && (ip.equals(e.ip()) || ip.equals(e.ip6()))) {
                    String who = s.containerName() == null || s.containerName().isEmpty() ? Ids.shortId(s.containerId()) : s.containerName();
                    out.add(who + "." + e.networkName());
                }
            }
        }
        return out;
    }
}
