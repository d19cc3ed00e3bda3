package dev.berth.daemon.container;

import dev.berth.common.BerthException;
import dev.berth.oci.Mount;
import dev.berth.oci.tar.IdMapping.Range;
import dev.berth.runtime.RuntimeContainerSpec.IdMapping;
import dev.berth.sys.mount.IdmapMounter;
import dev.berth.sys.mount.Mounter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The rootfs of a container under {@code --userns-remap}: each image layer of its overlay is
 * replaced by an idmapped view of it (under {@code <exec-root>/userns/<id>/<n>}) in which files
 * owned by root on disk belong to the remapped root, and the container's own layer is handed to
 * the remapped root. The container's root thus owns its image's files as with Docker's chowned
 * layer copies, while the layers stay shared and untouched on disk.
 *
 * <p>Lifecycle: {@link #prepare} before the runtime mounts the rootfs, {@link #release} after it
 * has unmounted it (container exit, failed start, removal); release is idempotent and also
 * cleans up after a daemon that died in between. {@code docker cp} on a stopped container uses its
 * own instance (its own root) the same way, around its scratch mount, so copy-ups see the image's
 * files owned as in the running container. Thread-safe (no state besides the kernel's).
 */
public final class UsernsRootfs {
    /** When remapping is not available (tests, or a composition without idmapped mounts). */
    static final UsernsRootfs UNSUPPORTED = new UsernsRootfs(null, null, null);

    private final IdmapMounter idmap;
    private final Mounter mounter;
    private final Path root;

    /**
     * @param idmap   makes the views; null: {@link #prepare} refuses (remapping unavailable)
     * @param root    where the idmapped layer views are mounted, one directory per container
     */
    public UsernsRootfs(IdmapMounter idmap, Mounter mounter, Path root) {
        this.idmap = idmap;
        this.mounter = mounter;
        this.root = root;
    }

    /**
     * The rootfs mounts to use instead of {@code rootfs}: overlay lower layers replaced by idmapped
     * views, the upper layer's root owned by the remapped root. On failure nothing stays mounted.
     */
    List<Mount> prepare(String id, List<Mount> rootfs, List<IdMapping> uids, List<IdMapping> gids) {
        if (idmap == null) {
            throw BerthException.unavailable("userns-remap: this daemon cannot make idmapped mounts");
        }
        List<IdmapMounter.Range> u = ranges(uids);
        List<IdmapMounter.Range> g = ranges(gids);
        List<Mount> out = new ArrayList<>();
        int n = 0;
        try {
            for (Mount m : rootfs) {
                if (!"overlay".equals(m.type())) {
                    out.add(m);
                    continue;
                }
                List<String> options = new ArrayList<>();
                for (String o : m.options()) {
                    if (o.startsWith("lowerdir=")) {
                        List<String> views = new ArrayList<>();
                        for (String lower : o.substring("lowerdir=".length()).split(":")) {
                            Path view = Files.createDirectories(root.resolve(id).resolve(Integer.toString(n++)));
                            idmap.mountIdmapped(Path.of(lower), view, u, g);
                            views.add(view.toString());
                        }
                        options.add("lowerdir=" + String.join(":", views));
                    } else {
                        if (o.startsWith("upperdir=")) {
                            ownRoot(Path.of(o.substring("upperdir=".length())), uids, gids);
                        }
                        options.add(o);
                    }
                }
                out.add(new Mount(m.type(), m.source(), m.destination(), options));
            }
            return out;
        } catch (IOException | RuntimeException ex) {
            release(id);
            throw BerthException.internal("userns-remap: cannot map the image layers of " + id + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Hands a file or directory the container writes (its layer's root, /etc/hosts and friends) to
     * the remapped root, if root owns it now.
     */
    static void ownRoot(Path p, List<IdMapping> uids, List<IdMapping> gids) throws IOException {
        if (uids.isEmpty() || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (((Number) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).intValue() == 0) {
            Files.setAttribute(p, "unix:uid", (int) uids.getFirst().hostId(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", (int) (gids.isEmpty() ? uids : gids).getFirst().hostId(), LinkOption.NOFOLLOW_LINKS);
        }
    }

    /**
     * {@link #prepare} for a mapping given as an archive {@link dev.berth.oci.tar.IdMapping}
     * (one uid and one gid range list, container id first).
     */
    public List<Mount> prepare(String id, List<Mount> rootfs, dev.berth.oci.tar.IdMapping ids) {
        return prepare(id, rootfs, runtime(ids.uids()), runtime(ids.gids()));
    }

    private static List<IdMapping> runtime(List<Range> ranges) {
        return ranges.stream().map(r -> new IdMapping(r.containerId(), r.hostId(), r.size())).toList();
    }

    /** Unmounts and removes the container's layer views; nothing there is fine. */
    public void release(String id) {
        if (root == null) {
            return;
        }
        Path dir = root.resolve(id);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> views = Files.list(dir)) {
            for (Path v : views.sorted(Comparator.reverseOrder()).toList()) {
                mounter.unmount(v, true);
                Files.deleteIfExists(v);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ex) {
            System.getLogger("berth.container").log(System.Logger.Level.WARNING,
                    "userns-remap: leaving layer views of " + id + ": " + ex.getMessage());
        }
    }

    private static List<IdmapMounter.Range> ranges(List<IdMapping> m) {
        return m.stream().map(x -> new IdmapMounter.Range(x.containerId(), x.hostId(), x.size())).toList();
    }
}
