package dev.berth.oci.tar;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * Moves tar archives across a user-namespace boundary ({@link IdMapping}): archives coming into
 * a container get host ids before anything is extracted, archives leaving it get container ids.
 * With {@link IdMapping#IDENTITY} both methods return their argument itself, so unremapped code
 * paths are unchanged and cost nothing. Stateless; the returned streams are single-use and not
 * thread-safe.
 */
public final class TarIdMapper {
    /** What an outgoing archive does with a host id that has no container id. */
    public enum Unmapped {
        /**
         * Fail with moby's "host ID n cannot be mapped to a container ID", as dockerd's archiver does
         * for {@code docker export} and layer diffs ({@code docker commit}). Whiteout members
         * ({@code .wh.*}), which moby never remaps, keep their ids when they have no container id.
         */
        FAIL,
        /** Write the overflow id 65534: the owner the container itself sees ({@code docker cp} out). */
        OVERFLOW
    }

    private TarIdMapper() {}

    /**
     * A tar equal to {@code tar} but with every member's uid/gid mapped container → host
     * ({@link IdMapping#toHost}); a member without a host id fails the read with a
     * {@link dev.berth.common.BerthException} before anything of it is returned. The archive is
     * parsed by the same reader the extractor uses ({@link GuardedTarInputStream}) and written
     * anew, so the extractor sees exactly the members that were mapped; members an extractor skips
     * anyway (sockets, volume labels, unknown non-file types) are left out.
     */
    public static InputStream toHost(InputStream tar, IdMapping ids) {
        return ids.isIdentity() ? tar : new HostIdTarInputStream(tar, ids);
    }

    /**
     * A stream that writes to {@code out} what is written to it (a tar), with every member header's
     * uid/gid mapped host → container ({@link IdMapping#toContainer}). Only the header blocks (and
     * PAX records holding ids) are rewritten; file data passes straight through. Meant for the
     * archives the daemon writes itself; closing it closes {@code out}.
     */
    public static OutputStream toContainer(OutputStream out, IdMapping ids, Unmapped unmapped) {
        return ids.isIdentity() ? out : new ContainerIdTarOutputStream(out, ids, unmapped);
    }
}
