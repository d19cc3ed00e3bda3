package dev.berth.daemon.container;

import dev.berth.api.model.ContainerWaitResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One container in memory: its persisted {@link ContainerRecord} plus live state that is not
 * persisted (futures for waiters, pending attach sessions, restart back-off). Every change to
 * {@link #rec} happens while holding {@link #lock}; blocking waits (stop timeouts, exits) happen
 * without it.
 */
public final class Container {
    final ReentrantLock lock = new ReentrantLock();
    final ContainerRecord rec;
    /** Completes when the current (or next) run ends; replaced at every start. */
    CompletableFuture<ContainerWaitResponse> exited = new CompletableFuture<>();
    /** Completes once the container has been removed. */
    final CompletableFuture<ContainerWaitResponse> removed = new CompletableFuture<>();
    /** Attach sessions waiting for the container's stdio to exist (attach before start). */
    final List<AttachService.Session> pendingAttaches = new ArrayList<>();
    final RestartPolicy.Backoff backoff = new RestartPolicy.Backoff();
    /** Set while an automatic restart is scheduled; cancelled by stop/rm. */
    volatile java.util.concurrent.Future<?> scheduledRestart;
    /** Bumped at every start; lets late exit notifications of an old run be ignored. */
    volatile long generation;
    volatile HealthMonitor.Probe health;

    Container(ContainerRecord rec) {
        this.rec = rec;
    }

    public String id() {
        return rec.id;
    }

    void locked(Runnable r) {
        lock.lock();
        try {
            r.run();
        } finally {
            lock.unlock();
        }
    }

    <T> T locked(java.util.function.Supplier<T> s) {
        lock.lock();
        try {
            return s.get();
        } finally {
            lock.unlock();
        }
    }
}
