package dev.berth.runtime;

import dev.berth.sys.cgroup.Cgroups;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts, ahead of time, the RCU grace period that the runtime's next cgroup v1 migration waits
 * for, so that {@code runc/crun exec} does not wait for it in full.
 *
 * <p>Why: on a cgroup v1 (or hybrid) host, {@code <runtime> exec} moves the new process into the
 * container's cgroups by writing its pid to {@code cgroup.procs}. Such a write takes the kernel's
 * global {@code cgroup_threadgroup_rwsem} for writing, and when no writer took it during the last
 * grace period that first waits for a whole RCU grace period (8-15 ms on the 2-CPU, HZ=250 hosts
 * we measured: the largest single part of an exec). A writer that arrives while one is waiting, or
 * within a grace period after one finished, does not wait again. So when an exec is about to
 * start we move our own process into the cgroup it is already in (a migration that changes
 * nothing) on a virtual thread: the grace period then runs while the runtime is being spawned,
 * and the runtime's own write finds it (nearly) over.
 *
 * <p>Nothing is done on a pure cgroup v2 host, or when our own v1 cgroup cannot be found. Failures
 * are ignored: this only ever saves time. At most one warm-up is in flight. Thread-safe.
 */
final class CgroupAttachWarmup {
    private final Cgroups cgroups;
    private final Path selfCgroup;
    private final long pid;
    private final Executor executor;
    private final boolean enabled;
    private final AtomicBoolean inFlight = new AtomicBoolean();

    /**
     * @param selfCgroup our {@code /proc/self/cgroup}
     * @param pid our pid (the thread group id written to {@code cgroup.procs})
     * @param executor runs the blocking write
     */
    CgroupAttachWarmup(Cgroups cgroups, Path selfCgroup, long pid, Executor executor) {
        this(cgroups, selfCgroup, pid, executor, cgroups.mode() != Cgroups.Mode.V2);
    }

    private CgroupAttachWarmup(Cgroups cgroups, Path selfCgroup, long pid, Executor executor, boolean enabled) {
        this.cgroups = cgroups;
        this.selfCgroup = selfCgroup;
        this.pid = pid;
        this.executor = executor;
        this.enabled = enabled;
    }

    /**
     * One that never writes. For runc 1.1: with a migration of ours in flight while it starts, its
     * exec intermittently left the process without the container's rlimits (the runtime IT's nofile
     * check failed 5 of 6 runs), which crun never did in as many runs.
     */
    static CgroupAttachWarmup disabled() {
        return new CgroupAttachWarmup(null, null, 0, Runnable::run, false);
    }

    /** For this host and this process. */
    static CgroupAttachWarmup host() {
        return new CgroupAttachWarmup(Cgroups.host(), Path.of("/proc/self/cgroup"), ProcessHandle.current().pid(),
                r -> Thread.ofVirtual().name("cgroup-warmup").start(r));
    }

    /** Starts a warm-up unless one is running; returns at once. */
    void kick() {
        if (!enabled || !inFlight.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    target().ifPresent(this::write);
                } catch (RuntimeException e) {
                    // a cgroup path we do not understand: skip the optimisation
                } finally {
                    inFlight.set(false);
                }
            });
        } catch (RuntimeException e) {
            inFlight.set(false);
        }
    }

    private void write(Path procs) {
        try {
            Files.write(procs, Long.toString(pid).getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            // only an optimisation: the runtime then waits for the grace period itself
        }
    }

    /**
     * The {@code cgroup.procs} of the v1 cgroup we are in now (read each time, so that a move by
     * the service manager is never undone): the {@code pids} hierarchy if mounted, else the first
     * mounted one. Exposed for tests.
     */
    Optional<Path> target() {
        String text;
        try {
            text = Files.readString(selfCgroup);
        } catch (IOException e) {
            return Optional.empty();
        }
        Optional<Path> first = Optional.empty();
        for (String line : text.split("\n")) {
            // "<id>:<controllers>:<path>"; v2's line has no controllers
            String[] f = line.split(":", 3);
            if (f.length != 3 || f[1].isEmpty() || !f[2].startsWith("/")) {
                continue;
            }
            String controller = f[1].startsWith("name=") ? f[1].substring(5) : f[1].split(",")[0];
            Optional<Path> dir = cgroups.v1Dir(controller, f[2]).filter(Files::isDirectory);
            if (dir.isEmpty()) {
                continue;
            }
            if (controller.equals("pids")) {
                return dir.map(d -> d.resolve("cgroup.procs"));
            }
            if (first.isEmpty()) {
                first = dir.map(d -> d.resolve("cgroup.procs"));
            }
        }
        return first;
    }
}
