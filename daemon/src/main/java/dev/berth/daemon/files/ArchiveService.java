package dev.berth.daemon.files;

import dev.berth.api.backend.ArchiveBackend;
import dev.berth.api.backend.ContainerBackend;
import dev.berth.api.model.ContainerInspect;
import dev.berth.api.model.MountPoint;
import dev.berth.common.BerthException;
import dev.berth.daemon.events.EventPublisher;
import dev.berth.image.ImageService;
import dev.berth.image.fs.ContainerFs;
import dev.berth.image.fs.FileStat;
import dev.berth.image.fs.MountMapping;
import dev.berth.oci.Mount;
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
 * Thread-safe.
 */
public final class ArchiveService implements ArchiveBackend {
    private final ContainerBackend containers;
    private final ImageService images;
    private final Mounter mounter;
    private final Path scratch;
    private final FileOps ops;
    private final EventPublisher events;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /**
     * @param scratch a directory for temporary mount points of stopped containers (created if absent)
     * @param events  receives container {@code archive-path} / {@code extract-to-dir} events (may be null)
     */
    public ArchiveService(ContainerBackend containers, ImageService images, Mounter mounter, Path scratch, FileOps ops,
            EventPublisher events) {
        this.containers = containers;
        this.images = images;
        this.mounter = mounter;
        this.scratch = scratch;
        this.ops = ops;
        this.events = events;
    }

    @Override
    public PathStat stat(String container, String path) {
        return withFs(container, (fs, c) -> toApi(fs.stat(path)));
    }

    @Override
    public void archive(String container, String path, Function<PathStat, OutputStream> start) {
        withFs(container, (fs, c) -> {
            fs.archive(path, st -> start.apply(toApi(st)));
            event(c, "archive-path");
            return null;
        });
    }

    @Override
    public void extract(String container, String path, InputStream content, boolean noOverwriteDirNonDir, boolean copyUIDGID) {
        withFs(container, (fs, c) -> {
            int[] owner = copyUIDGID ? Owners.resolve(fs, c.config() == null ? null : c.config().user()) : null;
            fs.extract(path, content, noOverwriteDirNonDir, owner == null ? null : owner[0], owner == null ? null : owner[1]);
            event(c, "extract-to-dir");
            return null;
        });
    }

    private interface Work<T> {
        T apply(ContainerFs fs, ContainerInspect c) throws IOException;
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
            ContainerInspect again = containers.inspect(c.id(), false);
            if (again.state() == null || !again.state().running() || again.state().pid() != pid) {
                throw BerthException.conflict("container %s stopped while copying, try again", name);
            }
            List<MountMapping> mounts = new ArrayList<>();
            for (MountPoint m : mountsOf(c)) {
                mounts.add(new MountMapping(m.destination(), null, !m.rw()));
            }
            return work.apply(new ContainerFs(name, root.path(), readOnlyRoot, mounts, ops), c);
        }
    }

    private <T> T stopped(String name, ContainerInspect c, boolean readOnlyRoot, Work<T> work) throws IOException {
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
            Mount m = layer.getFirst();
            mounter.mount(m.type(), m.source(), dir, m.options());
            mounted = true;
            List<MountMapping> mounts = new ArrayList<>();
            for (MountPoint mp : mountsOf(c)) {
                if (mp.source() != null && !mp.source().isEmpty() && !"tmpfs".equals(mp.type())) {
                    mounts.add(new MountMapping(mp.destination(), Path.of(mp.source()), !mp.rw()));
                }
            }
            return work.apply(new ContainerFs(name, dir, readOnlyRoot, mounts, ops), c);
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
                lock.unlock();
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
