package dev.berth.daemon.files;

import dev.berth.api.backend.ArchiveBackend;
import dev.berth.api.backend.ContainerBackend;
import dev.berth.api.model.ContainerInspect;
import dev.berth.api.model.MountPoint;
import dev.berth.common.BerthException;
import dev.berth.daemon.config.RemapMappings;
import dev.berth.daemon.container.UsernsRootfs;
import dev.berth.daemon.events.EventPublisher;
import dev.berth.image.ImageService;
import dev.berth.image.fs.ContainerFs;
import dev.berth.image.fs.FileStat;
import dev.berth.image.fs.MountMapping;
import dev.berth.oci.Mount;
import dev.berth.oci.tar.IdMapping;
import dev.berth.oci.tar.TarIdMapper;
import dev.berth.sys.fs.DirFd;
import dev.berth.sys.fs.FileOps;
import dev.berth.sys.mount.Mounter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * {@link ArchiveBackend} on the container engine: a running container is seen through
 * {@code /proc/<pid>/root} (its own mount namespace crosses volumes, binds and tmpfs), pinned by a
 * directory handle opened before the container is checked again, so a recycled pid can never lend
 * its root; a stopped container's writable layer is mounted on a scratch directory for the
 * duration of the call (always unmounted afterwards) and its volumes and binds are mapped at
 * their destinations. Calls on one stopped container are serialized so the layer is mounted once.
 *
 * <p>Under {@code --userns-remap} the container's files carry host ids; archives cross that
 * boundary as with dockerd ({@link IdMapping}): a tar coming in is extracted with host ids (a
 * member without one fails the copy, as in moby), {@code docker cp -a}'s owner is mapped too, and
 * a tar going out carries container ids, the overflow id 65534 where the container itself sees no
 * owner (moby leaves cp-out ids unmapped, moby/moby#43698; we give what {@code stat} in the
 * container shows). A running container's mapping is read from its process, a stopped one's from
 * the daemon's configuration, and a stopped container's image layers are mounted through idmapped
 * views so that copy-ups keep the owners the container sees.
 * Thread-safe.
 */
public final class ArchiveService implements ArchiveBackend {
    private final ContainerBackend containers;
    private final ImageService images;
    private final Mounter mounter;
    private final Path scratch;
    private final FileOps ops;
    private final EventPublisher events;
    private final RemapMappings remap;
    private final UsernsRootfs views;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** An archive service of an unremapped daemon. */
    public ArchiveService(ContainerBackend containers, ImageService images, Mounter mounter, Path scratch, FileOps ops,
            EventPublisher events) {
        this(containers, images, mounter, scratch, ops, events, RemapMappings.NONE, new UsernsRootfs(null, null, null));
    }

    /**
     * @param scratch a directory for temporary mount points of stopped containers (created if absent)
     * @param events  receives container {@code archive-path} / {@code extract-to-dir} events (may be null)
     * @param remap   the daemon's {@code --userns-remap} mappings
     * @param views   idmapped layer views for stopped remapped containers (its own root, not the containers')
     */
    public ArchiveService(ContainerBackend containers, ImageService images, Mounter mounter, Path scratch, FileOps ops,
            EventPublisher events, RemapMappings remap, UsernsRootfs views) {
        this.containers = containers;
        this.images = images;
        this.mounter = mounter;
        this.scratch = scratch;
        this.ops = ops;
        this.events = events;
        this.remap = remap;
        this.views = views;
    }

    @Override
    public PathStat stat(String container, String path) {
        return withFs(container, (fs, c, ids) -> toApi(fs.stat(path)));
    }

    @Override
    public void archive(String container, String path, Function<PathStat, OutputStream> start) {
        withFs(container, (fs, c, ids) -> {
            fs.archive(path, st -> TarIdMapper.toContainer(start.apply(toApi(st)), ids, TarIdMapper.Unmapped.OVERFLOW));
            event(c, "archive-path");
            return null;
        });
    }

    @Override
    public void extract(String container, String path, InputStream content, boolean noOverwriteDirNonDir, boolean copyUIDGID) {
        withFs(container, (fs, c, ids) -> {
            int[] owner = copyUIDGID ? Owners.resolve(fs, c.config() == null ? null : c.config().user()) : null;
            if (owner != null && !ids.isIdentity()) {
                IdMapping.Ids host = ids.toHost(owner[0], owner[1]); // moby/moby#53084
                owner = new int[] {(int) host.uid(), (int) host.gid()};
            }
            fs.extract(path, TarIdMapper.toHost(content, ids), noOverwriteDirNonDir, owner == null ? null : owner[0],
                    owner == null ? null : owner[1]);
            event(c, "extract-to-dir");
            return null;
        });
    }

    private interface Work<T> {
        /** @param ids how the container's ids relate to the files' (host) ids */
        T apply(ContainerFs fs, ContainerInspect c, IdMapping ids) throws IOException;
    }

    private <T> T withFs(String name, Work<T> work) {
        ContainerInspect c = containers.inspect(name, false);
        boolean readOnlyRoot = c.hostConfig() != null && c.hostConfig().readonlyRootfs();
        try {
            if (c.state() != null && c.state().running() && c.state().pid() > 0) {
                return running(name, c, readOnlyRoot, work);
            }
            return stopped(name, c, readOnlyRoot, work);
        } catch (IOException e) {
            throw BerthException.internal("docker cp on " + name + ": " + e.getMessage(), e);
        }
    }

    private <T> T running(String name, ContainerInspect c, boolean readOnlyRoot, Work<T> work) throws IOException {
        int pid = c.state().pid();
        DirFd root;
        try {
            root = DirFd.open(Path.of("/proc/" + pid + "/root"));
        } catch (IOException gone) {
            throw BerthException.conflict("container %s stopped while copying, try again", name);
        }
        try (root) {
            IdMapping ids;
            try {
                ids = IdMapping.fromProc(Files.readString(Path.of("/proc/" + pid + "/uid_map")),
                        Files.readString(Path.of("/proc/" + pid + "/gid_map")));
            } catch (IOException gone) {
                throw BerthException.conflict("container %s stopped while copying, try again", name);
            }
            ContainerInspect again = containers.inspect(c.id(), false);
            if (again.state() == null || !again.state().running() || again.state().pid() != pid) {
                throw BerthException.conflict("container %s stopped while copying, try again", name);
            }
            List<MountMapping> mounts = new ArrayList<>();
            for (MountPoint m : mountsOf(c)) {
                mounts.add(new MountMapping(m.destination(), null, !m.rw()));
            }
            return work.apply(new ContainerFs(name, root.path(), readOnlyRoot, mounts, ops), c, ids);
        }
    }

    private <T> T stopped(String name, ContainerInspect c, boolean readOnlyRoot, Work<T> work) throws IOException {
        IdMapping ids = remap.forContainer(c.hostConfig());
        ReentrantLock lock = locks.computeIfAbsent(c.id(), k -> new ReentrantLock());
        lock.lock();
        Path dir = null;
        boolean mounted = false;
        try {
            Files.createDirectories(scratch);
            dir = Files.createTempDirectory(scratch, "cp-" + c.id().substring(0, Math.min(12, c.id().length())) + "-");
            List<Mount> layer = images.containerLayerMounts(c.id());
            if (layer.size() != 1) {
                throw BerthException.internal("unexpected container layer mounts for " + c.id() + ": " + layer, null);
            }
            if (!ids.isIdentity()) {
                // image layers as the container sees them, so copy-ups keep their owners
                views.release(c.id()); // leftovers of a daemon that died during a copy
                layer = views.prepare(c.id(), layer, ids);
            }
            Mount m = layer.getFirst();
            mounter.mount(m.type(), m.source(), dir, m.options());
            mounted = true;
            List<MountMapping> mounts = new ArrayList<>();
            for (MountPoint mp : mountsOf(c)) {
                if (mp.source() != null && !mp.source().isEmpty() && !"tmpfs".equals(mp.type())) {
                    mounts.add(new MountMapping(mp.destination(), Path.of(mp.source()), !mp.rw()));
                }
            }
            return work.apply(new ContainerFs(name, dir, readOnlyRoot, mounts, ops), c, ids);
        } finally {
            try {
                if (mounted) {
                    mounter.unmount(dir, false);
                }
                if (dir != null) {
                    Files.deleteIfExists(dir);
                }
            } catch (IOException e) {
                // a busy mount (a copy still reading?) is detached so it cannot leak
                try {
                    mounter.unmount(dir, true);
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // left for the next start-up sweep
                }
            } finally {
                try {
                    if (!ids.isIdentity()) {
                        views.release(c.id()); // after the overlay that stacked on them
                    }
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private static List<MountPoint> mountsOf(ContainerInspect c) {
        return c.mounts() == null ? List.of() : c.mounts();
    }

    private void event(ContainerInspect c, String action) {
        if (events != null) {
            String n = c.name() == null ? "" : c.name().startsWith("/") ? c.name().substring(1) : c.name();
            events.publish("container", action, c.id(), Map.of("name", n));
        }
    }

    static PathStat toApi(FileStat s) {
        return new PathStat(s.name(), s.size(), s.mode(), s.mtime().toString(), s.linkTarget());
    }
}
