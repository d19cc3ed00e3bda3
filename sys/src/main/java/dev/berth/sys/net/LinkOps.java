package dev.berth.sys.net;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Links, addresses and routes (what iproute2 / rtnetlink do). Operations are applied one at a
 * time in order; a failure throws {@link dev.berth.common.BerthException} and leaves earlier
 * operations in place (callers undo them). Implementations are thread-safe and stateless.
 */
public interface LinkOps {
    /** Applies one operation. */
    void apply(LinkOp op);

    /** Applies the operations in order, stopping at the first failure. */
    default void applyAll(List<? extends LinkOp> ops) {
        for (LinkOp op : ops) {
            apply(op);
        }
    }

    /** The links of a namespace ({@code null} = host). */
    List<LinkInfo> list(Path netns);

    default Optional<LinkInfo> find(Path netns, String name) {
        return list(netns).stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /**
     * Whether the kernel knows a link type ("macvlan", "ipvlan", "vxlan", "dummy"), so a driver can
     * say clearly what a kernel lacks. Implementations may probe by creating and deleting a
     * throwaway link in the host namespace.
     */
    default boolean supportsKind(String kind) {
        return true;
    }

    /** The IPv4 addresses of a link in CIDR notation, e.g. {@code 172.30.0.1/16}. */
    List<String> ipv4Addresses(Path netns, String link);
}
