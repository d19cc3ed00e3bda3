package dev.berth.runtime;

import dev.berth.common.BerthException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Linux capability names and Docker's rules for computing a container's set
 * (moby {@code caps.TweakCapabilities}). Pure utility.
 */
public final class Capabilities {
    /** Capability names indexed by their bit number. */
    public static final List<String> BY_BIT = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
            "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    /** Docker's 14 default capabilities, in Docker's order. */
    public static final List<String> DEFAULTS = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
            "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
            "CAP_AUDIT_WRITE");

    private Capabilities() {}

    /** The names of the capabilities whose bits are set in {@code mask}, by bit order. */
    public static List<String> fromMask(long mask) {
        List<String> out = new ArrayList<>();
        for (int bit = 0; bit < BY_BIT.size(); bit++) {
            if ((mask & (1L << bit)) != 0) {
                out.add(BY_BIT.get(bit));
            }
        }
        return out;
    }

    /** Normalizes {@code net_admin}/{@code NET_ADMIN}/{@code CAP_NET_ADMIN} to {@code CAP_NET_ADMIN}; ALL stays ALL. */
    static String normalize(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (n.equals("ALL")) {
            return n;
        }
        if (!n.startsWith("CAP_")) {
            n = "CAP_" + n;
        }
        if (!BY_BIT.contains(n)) {
            throw BerthException.invalid("unknown capability: \"%s\"", n);
        }
        return n;
    }

    /**
     * The container's capability list: all host capabilities when privileged; otherwise the
     * defaults adjusted by {@code add}/{@code drop}, where ALL in add means every host capability
     * but the dropped ones and ALL in drop means only the added ones. Capabilities the host
     * cannot grant (not in its bounding set) are rejected.
     */
    public static List<String> compute(List<String> hostCaps, boolean privileged, List<String> add, List<String> drop) {
        if (privileged) {
            return List.copyOf(hostCaps);
        }
        List<String> adds = add == null ? List.of() : add.stream().map(Capabilities::normalize).toList();
        List<String> drops = drop == null ? List.of() : drop.stream().map(Capabilities::normalize).toList();
        if (adds.isEmpty() && drops.isEmpty()) {
            return DEFAULTS;
        }
        Set<String> caps = new LinkedHashSet<>();
        if (adds.contains("ALL")) {
            for (String c : hostCaps) {
                if (!drops.contains(c)) {
                    caps.add(c);
                }
            }
        } else if (drops.contains("ALL")) {
            caps.addAll(adds);
        } else {
            for (String c : DEFAULTS) {
                if (!drops.contains(c)) {
                    caps.add(c);
                }
            }
            caps.addAll(adds);
        }
        for (String c : caps) {
            if (!hostCaps.contains(c)) {
                throw BerthException.invalid("capability %s is not available on this host (not in the daemon's bounding set)", c);
            }
        }
        return List.copyOf(caps);
    }
}
