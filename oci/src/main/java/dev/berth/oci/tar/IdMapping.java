package dev.berth.oci.tar;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.util.ArrayList;
import java.util.List;

/**
 * How a container's user and group ids relate to the host's ({@code --userns-remap}): the
 * container id {@code c} in a range is the host id {@code hostId + (c - containerId)}. Archives
 * cross this boundary in both directions: a tar coming in ({@code docker cp} into a container) is
 * written to disk with {@link #toHost} ids, and one going out ({@code docker cp} from a container,
 * {@code docker export}, the layer of {@code docker commit}) carries {@link #toContainer} ids, so it
 * equals the tar of the same container on a daemon without remapping. The semantics are moby's
 * {@code IdentityMapping}: an empty list maps that kind of id to itself, an id outside every range
 * has no counterpart (an error, with moby's wording), and {@link #toHost} leaves an id that already
 * is the remapped root's host id alone.
 *
 * <p>{@link #IDENTITY} (no ranges) is what unremapped daemons and {@code --userns=host} or
 * privileged containers use; callers check {@link #isIdentity()} and skip any rewriting, so they
 * pay nothing. Immutable and thread-safe.
 *
 * @param uids user id ranges (empty: identity)
 * @param gids group id ranges (empty: identity)
 */
public record IdMapping(List<Range> uids, List<Range> gids) {
    /** The kernel's overflow id: what a container sees as the owner of a file it has no id for. */
    public static final long OVERFLOW_ID = 65534;

    /** No remapping. */
    public static final IdMapping IDENTITY = new IdMapping(List.of(), List.of());

    /** Container ids {@code [containerId, containerId+size)} are host ids {@code [hostId, hostId+size)}. */
    public record Range(long containerId, long hostId, long size) {
        public Range {
            if (containerId < 0 || hostId < 0 || size <= 0) {
                throw new IllegalArgumentException("invalid id range " + containerId + " " + hostId + " " + size);
            }
        }
    }

    /** A uid and gid pair. */
    public record Ids(long uid, long gid) {}

    public IdMapping {
        uids = List.copyOf(uids);
        gids = List.copyOf(gids);
    }

    /** One range for users and groups alike, as {@code --userns-remap} gives containers. */
    public static IdMapping of(long containerId, long hostId, long size) {
        List<Range> r = List.of(new Range(containerId, hostId, size));
        return new IdMapping(r, r);
    }

    /**
     * The mapping of a process from its {@code /proc/<pid>/uid_map} and {@code gid_map} texts
     * (lines {@code inside outside count}); a process in the initial user namespace
     * ({@code 0 0 4294967295}) gives {@link #IDENTITY}.
     */
    public static IdMapping fromProc(String uidMap, String gidMap) {
        List<Range> u = parseProc(uidMap);
        List<Range> g = parseProc(gidMap);
        if (isFull(u) && isFull(g)) {
            return IDENTITY;
        }
        return new IdMapping(u, g);
    }

    private static boolean isFull(List<Range> r) {
        return r.size() == 1 && r.getFirst().containerId() == 0 && r.getFirst().hostId() == 0 && r.getFirst().size() == 4294967295L;
    }

    private static List<Range> parseProc(String text) {
        List<Range> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 3) {
                out.add(new Range(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])));
            }
        }
        return out;
    }

    /** True when ids are the same inside and outside: nothing to rewrite. */
    public boolean isIdentity() {
        return uids.isEmpty() && gids.isEmpty();
    }

    /** The host ids of the container's root (0:0 when not remapped). */
    public Ids rootPair() {
        return new Ids(find(0, uids, true, 0), find(0, gids, true, 0));
    }

    /**
     * The host ids for container ids, as moby's {@code ToHost}: an id equal to the remapped root's
     * host id is kept (an archive may already carry it).
     *
     * @throws BerthException "container ID n cannot be mapped to a host ID"
     */
    public Ids toHost(long uid, long gid) {
        Ids root = rootPair();
        long u = uid == root.uid() ? uid : find(uid, uids, true, -1);
        if (u < 0) {
            throw unmappable("container ID %d cannot be mapped to a host ID", uid);
        }
        long g = gid == root.gid() ? gid : find(gid, gids, true, -1);
        if (g < 0) {
            throw unmappable("container ID %d cannot be mapped to a host ID", gid);
        }
        return new Ids(u, g);
    }

    /**
     * The container ids for host ids, as moby's {@code ToContainer}.
     *
     * @throws BerthException "host ID n cannot be mapped to a container ID"
     */
    public Ids toContainer(long uid, long gid) {
        long u = find(uid, uids, false, -1);
        if (u < 0) {
            throw unmappable("host ID %d cannot be mapped to a container ID", uid);
        }
        long g = find(gid, gids, false, -1);
        if (g < 0) {
            throw unmappable("host ID %d cannot be mapped to a container ID", gid);
        }
        return new Ids(u, g);
    }

    /** The container uid for a host uid, or {@link #OVERFLOW_ID} when it has none (what the container sees). */
    public long uidToContainerOrOverflow(long uid) {
        return find(uid, uids, false, OVERFLOW_ID);
    }

    /** The container gid for a host gid, or {@link #OVERFLOW_ID} when it has none. */
    public long gidToContainerOrOverflow(long gid) {
        return find(gid, gids, false, OVERFLOW_ID);
    }

    /** The container uid for a host uid, or -1. */
    public long uidToContainer(long uid) {
        return find(uid, uids, false, -1);
    }

    /** The container gid for a host gid, or -1. */
    public long gidToContainer(long gid) {
        return find(gid, gids, false, -1);
    }

    private static long find(long id, List<Range> ranges, boolean toHost, long none) {
        if (ranges.isEmpty()) {
            return id;
        }
        for (Range r : ranges) {
            long from = toHost ? r.containerId() : r.hostId();
            if (id >= from && id - from < r.size()) {
                return (toHost ? r.hostId() : r.containerId()) + (id - from);
            }
        }
        return none;
    }

    private static BerthException unmappable(String fmt, long id) {
        return new BerthException(ErrorKind.INTERNAL, fmt.formatted(id));
    }
}
