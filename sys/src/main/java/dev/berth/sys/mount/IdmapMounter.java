package dev.berth.sys.mount;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Idmapped bind mounts (Linux 5.12+; overlayfs accepts them as lower layers): {@code target}
 * shows {@code source}'s tree with every owner shifted through an id mapping, without touching
 * the files. Used for {@code --userns-remap}: image layers owned by root on disk appear owned by
 * the remapped root, so the container's root owns its image files the way Docker's chowned copies
 * would, at no copying cost. Implementations are thread-safe; each mapping's user namespace is
 * made once and kept.
 */
public interface IdmapMounter {
    /** One range of a mapping: ids {@code [inside, inside+size)} are {@code [outside, outside+size)} on the host. */
    record Range(long inside, long outside, long size) {}

    /**
     * Mounts {@code source} on the existing directory {@code target}, owners mapped by
     * {@code uids}/{@code gids} (a file owned by host id {@code inside} appears owned by
     * {@code outside}). Remove it with {@link Mounter#unmount}.
     *
     * @throws IOException with the kernel's reason (e.g. the file system does not support idmapped mounts)
     */
    void mountIdmapped(Path source, Path target, List<Range> uids, List<Range> gids) throws IOException;
}
