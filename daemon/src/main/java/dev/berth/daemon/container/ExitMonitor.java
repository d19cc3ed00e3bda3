package dev.berth.daemon.container;

import dev.berth.api.model.ContainerWaitResponse;
import dev.berth.runtime.RuntimeDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Watches running containers for their exit and handles it: records exit code, FinishedAt and
 * OOMKilled, tears down network, runtime and volume use, emits {@code die}, then applies the
 * restart policy (with back-off) or auto-remove. Also re-adopts containers after a daemon
 * restart. Thread-safe; exit handling takes the container's lock.
 */
final class ExitMonitor {
    private static final System.Logger LOG = System.getLogger("berth.container");
    private final Engine e;
    private final HealthMonitor health;
    private final ContainerLifecycle lifecycle;

    ExitMonitor(Engine e, HealthMonitor health, ContainerLifecycle lifecycle) {
        this.e = e;
        this.health = health;
        this.lifecycle = lifecycle;
    }

    /** Watches the run {@code gen} of the container for its exit. */
    void monitor(Container c, RuntimeDriver driver, long gen) {
        driver.awaitExit(c.id()).whenCompleteAsync((status, err) -> {
            RuntimeDriver.ExitStatus st = status;
            if (err != null) {
                LOG.log(System.Logger.Level.WARNING, "awaiting exit of " + c.id() + " failed: " + err);
                st = new RuntimeDriver.ExitStatus(255, Times.toNanos(e.clock.instant()), false);
            }
            handleExit(c, gen, st);
        }, e.virtual);
    }

    void handleExit(Container c, long gen, RuntimeDriver.ExitStatus status) {
        ContainerRecord r = c.rec;
        boolean restart;
        boolean autoRemove;
        Duration delay = Duration.ZERO;
        int exitCode = status.exitCode();
        c.lock.lock();
        try {
            if (gen != c.generation || !r.state.running || r.state.restarting) {
                return;
            }
            health.stop(c);
            Instant started = Times.parse(r.state.startedAt);
            Instant finished = status.finishedAtNanos() > 0 ? Times.ofNanos(status.finishedAtNanos()) : e.clock.instant();
            teardown(r);
            e.logs.stopped(r.id);
            var s = r.state;
            s.running = false;
            s.paused = false;
            s.pid = 0;
            s.exitCode = exitCode;
            s.oomKilled = status.oomKilled();
            s.finishedAt = Times.rfc3339Nano(finished);
            restart = RestartPolicy.shouldRestart(r.hostConfig.restartPolicy(), exitCode, r.hasBeenManuallyStopped, r.restartCount);
            autoRemove = !restart && r.hostConfig.autoRemove();
            if (restart) {
                Duration ran = started == null ? Duration.ZERO : Duration.between(started, finished);
                delay = c.backoff.next(ran);
                s.restarting = true;
                s.running = true;
            }
            e.store.save(r);
            long secs = started == null ? 0 : Math.max(0, Duration.between(started, finished).toSeconds());
            e.events.emit(r, "die", Map.of("exitCode", Integer.toString(exitCode), "execDuration", Long.toString(secs)));
            c.exited.complete(new ContainerWaitResponse(exitCode, null));
        } finally {
            c.lock.unlock();
        }
        if (restart) {
            scheduleRestart(c, delay);
        } else if (autoRemove) {
            e.virtual.execute(() -> lifecycle.autoRemove(c));
        }
    }

    /** Network, runtime and volume clean-up after a run. Caller holds the lock. */
    private void teardown(ContainerRecord r) {
        // independent, and each spawns processes: side by side they cost the slower one (perf: run --rm)
        var sandboxGone = java.util.concurrent.CompletableFuture.runAsync(
                () -> Engine.quietly("remove sandbox of " + r.id, () -> e.network.removeSandbox(r.id)), e.virtual);
        Engine.quietly("runtime delete of " + r.id, () -> e.driver(r).delete(r.id));
        e.userns.release(r.id); // after the runtime unmounted the rootfs stacked on the views
        sandboxGone.join();
        for (PlannedMount m : r.mounts) {
            if (m.isVolume()) {
                Engine.quietly("release volume " + m.source(), () -> e.volumes.release(m.source()));
            }
        }
    }

    void scheduleRestart(Container c, Duration delay) {
        c.scheduledRestart = e.timers.schedule(() -> e.virtual.execute(() -> {
            c.lock.lock();
            try {
                var s = c.rec.state;
                if (!s.restarting || s.removalInProgress || c.rec.hasBeenManuallyStopped) {
                    return;
                }
                c.rec.restartCount++;
                try {
                    lifecycle.restartNow(c);
                } catch (RuntimeException ex) {
                    LOG.log(System.Logger.Level.WARNING, "restart of " + c.id() + " failed: " + ex.getMessage());
                    s.running = false;
                    s.restarting = false;
                    s.finishedAt = e.now();
                    e.store.save(c.rec);
                }
            } finally {
                c.lock.unlock();
            }
        }), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Re-adopts a container the driver reports running after a daemon restart. Caller holds the lock. */
    void adopt(Container c, RuntimeDriver.RestoredContainer rc) {
        ContainerRecord r = c.rec;
        r.state.running = true;
        r.state.restarting = false;
        r.state.paused = rc.paused();
        r.state.pid = rc.pid();
        e.store.save(r);
        e.logs.adopt(r.id, e.logTarget(r), true);
        long gen = ++c.generation;
        monitor(c, e.driver(r), gen);
        health.start(c);
    }

    /** A container that was running when the daemon stopped and has exited since. */
    void exitedWhileDown(Container c, RuntimeDriver.ExitStatus status) {
        e.logs.adopt(c.id(), e.logTarget(c.rec), false);
        long gen = c.locked(() -> {
            c.rec.state.running = true;
            c.rec.state.restarting = false;
            return ++c.generation;
        });
        handleExit(c, gen, status);
    }
}
