package dev.berth.daemon.container;

import dev.berth.api.model.ContainerWaitResponse;
import dev.berth.common.BerthException;
import java.util.List;

/** {@code docker rm}: force-kill if asked, then remove layer, directory, name and (with -v) anonymous volumes. Thread-safe. */
final class Remover {
    private final Engine e;
    private final ContainerLifecycle lifecycle;
    private final ExecManager execs;

    Remover(Engine e, ContainerLifecycle lifecycle, ExecManager execs) {
        this.e = e;
        this.lifecycle = lifecycle;
        this.execs = execs;
    }

    void remove(Container c, boolean force, boolean removeVolumes) {
        if (force) {
            lifecycle.forceKill(c);
        }
        ContainerRecord r = c.rec;
        if (c.locked(() -> r.state.removalInProgress)) {
            awaitRemoval(c); // e.g. rm -f racing with auto-remove of a --rm container
            return;
        }
        c.lock.lock();
        try {
            if (r.state.removalInProgress) {
                throw BerthException.conflict("removal of container %s is already in progress", r.id);
            }
            if (e.index.find(r.id) == null) {
                return;
            }
            if (r.state.running) {
                throw BerthException.conflict("cannot remove container \"%s\": container is running: stop the container before removing or force remove", r.name);
            }
            r.state.removalInProgress = true;
            var f = c.scheduledRestart;
            if (f != null) {
                f.cancel(false);
            }
            Engine.quietly("runtime delete " + r.id, () -> e.driver(r).delete(r.id));
            Engine.quietly("remove sandbox " + r.id, () -> e.network.removeSandbox(r.id));
            try {
                e.images.removeContainerLayer(r.id);
            } catch (RuntimeException ex) {
                r.state.removalInProgress = false;
                r.state.dead = true;
                r.state.error = "unable to remove filesystem: " + ex.getMessage();
                Engine.quietly("save", () -> e.store.save(r));
                throw BerthException.internal("unable to remove filesystem for " + r.id + ": " + ex.getMessage(), ex);
            }
            e.logs.forget(r.id);
            e.userns.release(r.id);
            e.store.delete(r.id);
            removeBundleDir(e.bundleDir(r.id));
            e.index.remove(r.id);
            e.index.names().release(r.name);
            execs.forget(r.id);
        } finally {
            c.lock.unlock();
        }
        if (removeVolumes) {
            for (PlannedMount m : r.mounts) {
                if (m.isVolume() && m.anonymous() && !inUseElsewhere(m.source())) {
                    Engine.quietly("remove volume " + m.source(), () -> e.volumes.remove(m.source()));
                }
            }
        }
        e.events.emit(r, "destroy");
        ContainerWaitResponse resp = new ContainerWaitResponse(r.state.exitCode, null);
        c.exited.complete(resp);
        c.removed.complete(resp);
        for (AttachService.Session s : List.copyOf(c.pendingAttaches)) {
            s.fail(new IllegalStateException("container removed"));
        }
    }

    /**
     * Removes {@code <exec-root>/containers/<id>} once the driver is done with it. Never recursive
     * into {@code rootfs}: if it were still mounted, a recursive delete would destroy image data.
     */
    static void removeBundleDir(java.nio.file.Path bundle) {
        try {
            java.nio.file.Files.deleteIfExists(bundle.resolve("rootfs")); // fails when mounted or not empty
            if (java.nio.file.Files.isDirectory(bundle)) {
                try (var s = java.nio.file.Files.list(bundle)) {
                    for (var p : s.toList()) {
                        if (!java.nio.file.Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                            java.nio.file.Files.deleteIfExists(p);
                        }
                    }
                }
                java.nio.file.Files.deleteIfExists(bundle);
            }
        } catch (java.io.IOException ex) {
            System.getLogger("berth.container").log(System.Logger.Level.WARNING, "leaving " + bundle + ": " + ex.getMessage());
        }
    }

    private static void awaitRemoval(Container c) {
        try {
            c.removed.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException ex) {
            throw BerthException.conflict("removal of container %s is already in progress", c.id());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean inUseElsewhere(String volume) {
        for (Container other : e.index.all()) {
            if (other.rec.mounts.stream().anyMatch(m -> m.isVolume() && m.source().equals(volume))) {
                return true;
            }
        }
        return false;
    }
}
