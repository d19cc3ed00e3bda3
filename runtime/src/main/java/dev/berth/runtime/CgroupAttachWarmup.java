package dev.berth.runtime;

import dev.berth.sys.cgroup.Cgroups;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Keeps the kernel's cgroup v1 migration fast path open while execs are coming, so that
 * {@code crun exec} does not wait a whole RCU grace period to join the container's cgroups.
 *
 * <p>Why: on a cgroup v1 (or hybrid) host, {@code <runtime> exec} moves the new process into the
 * container's cgroups by writing its pid to {@code cgroup.procs}. Such a write takes the kernel's
 * global {@code cgroup_threadgroup_rwsem} for writing, and when no writer took it during the last
 * grace period it first waits for a whole RCU grace period (the rwsem's rcu_sync switches readers
 * to the slow path): 8-15 ms on the 2-CPU, HZ=250 hosts we measured, the largest single part of
 * an exec. A writer that arrives while the rcu_sync is still in writer mode (during, or within a
 * grace period after, another writer) does not wait. Measured with {@code crun exec} alone, 50 ms
 * apart: 23-28 ms cold, 12 ms with a writer every 3 ms — the same as back to back.
 *
 * <p>So each {@link #kick()} (an exec or a container start is about to run the runtime) opens a
 * window of {@link #WINDOW} during which one virtual thread moves one of our own threads into the
 * v1 cgroup it is already in (a migration that changes nothing) every {@link #INTERVAL}, shorter
 * than a grace period. The first exec of a burst still pays part of the grace period (the
 * migration starts when the exec does); the next ones, in the window, do not. Outside bursts
 * nothing runs. Each write holds the rwsem for microseconds (forks on the host wait that long);
 * about 330 writes a second while a window is open.
 *
 * <p>Nothing is done on a pure cgroup v2 host, or when our own v1 cgroup cannot be found. Failures
 * end the window quietly: this only ever saves time. At most one writer runs. Thread-safe.
 */
final class CgroupAttachWarmup {
    /** How long after the last kick the fast path is kept open. */
    static final Duration WINDOW = Duration.ofSeconds(2);
    /** Below one grace period (3-4 jiffies at HZ=250), so the rcu_sync never returns to idle. */
    static final Duration INTERVAL = Duration.ofMillis(3);
    /** How long after our last write the fast path is surely closed again: a few grace periods. */
    static final Duration LAPSE = Duration.ofMillis(50);
    /** Nanos of "never written" (the clock's values can be anything, even 0). */
    private static final long NEVER = Long.MIN_VALUE;

    /** Sleeps between writes; a test hook. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Cgroups cgroups;
    private final Path selfCgroup;
    private final long tid;
    private final Executor executor;
    private final boolean enabled;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private final AtomicLong openUntil = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong lastWrite = new AtomicLong(NEVER);

    /**
     * @param selfCgroup our {@code /proc/self/cgroup}
     * @param tid one of our threads that stays alive (written to the cgroup's {@code tasks}: one
     *            thread, so the kernel does not walk all of ours on each write)
     * @param executor runs the writer (blocking)
     */
    CgroupAttachWarmup(Cgroups cgroups, Path selfCgroup, long tid, Executor executor, LongSupplier nanoClock, Sleeper sleeper) {
        this(cgroups, selfCgroup, tid, executor, cgroups.mode() != Cgroups.Mode.V2, nanoClock, sleeper);
    }

    private CgroupAttachWarmup(Cgroups cgroups, Path selfCgroup, long tid, Executor executor, boolean enabled,
            LongSupplier nanoClock, Sleeper sleeper) {
        this.cgroups = cgroups;
        this.selfCgroup = selfCgroup;
        this.tid = tid;
        this.executor = executor;
        this.enabled = enabled;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    /** One that never writes (tests). */
    static CgroupAttachWarmup disabled() {
        return new CgroupAttachWarmup(null, null, 0, Runnable::run, false, System::nanoTime, d -> { });
    }

    /**
     * The one for this host and this process, shared by all runtime drivers: the fast path is
     * host-wide, so a crun driver's window is open for a runc driver's execs too. The thread written
     * is the process's first one (tid = pid): the launcher's primordial thread, which lives as long
     * as the JVM.
     */
    static CgroupAttachWarmup host() {
        return Host.INSTANCE;
    }

    private static final class Host {
        static final CgroupAttachWarmup INSTANCE = new CgroupAttachWarmup(Cgroups.host(), Path.of("/proc/self/cgroup"),
                ProcessHandle.current().pid(), r -> Thread.ofVirtual().name("cgroup-warmup").start(r), System::nanoTime,
                Thread::sleep);
    }

    /** Opens (or extends) the window; starts the writer unless it runs. Returns at once. */
    void kick() {
        if (!enabled) {
            return;
        }
        openUntil.set(nanoClock.getAsLong() + WINDOW.toNanos());
        startWriter();
    }

    /**
     * Closes the window and returns once our last write is {@link #LAPSE} old, so that the runtime
     * started next meets the slow, grace-period path. For runc 1.1: its exec sets the new process's
     * rlimits with prlimit(2) while that process (runc init, Go) is starting, and Go's start-up
     * raises the soft RLIMIT_NOFILE to the hard one (runc#4195, fixed in runc 1.1.13/1.2); a fast
     * cgroup join makes runc lose that race — with a window open, 51 of 60 execs got soft = hard.
     * Costs nothing when no window was open in the last {@link #LAPSE}. Blocks the caller.
     */
    void closeAndLapse() {
        if (!enabled) {
            return;
        }
        openUntil.set(nanoClock.getAsLong());
        try {
            long last;
            while ((last = lastWrite.get()) != NEVER) {
                long wait = LAPSE.toNanos() - (nanoClock.getAsLong() - last);
                if (wait <= 0) {
                    return;
                }
                sleeper.sleep(Duration.ofNanos(wait));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void startWriter() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::keepOpen);
        } catch (RuntimeException e) {
            running.set(false);
        }
    }

    private void keepOpen() {
        try {
            Optional<Path> tasks = target();
            if (tasks.isEmpty()) {
                return;
            }
            try (FileChannel ch = FileChannel.open(tasks.get(), StandardOpenOption.WRITE)) {
                byte[] id = Long.toString(tid).getBytes(StandardCharsets.US_ASCII);
                do {
                    ch.write(ByteBuffer.wrap(id));
                    lastWrite.set(nanoClock.getAsLong());
                    sleeper.sleep(INTERVAL);
                } while (nanoClock.getAsLong() - openUntil.get() < 0);
            }
        } catch (IOException | RuntimeException e) {
            // a cgroup we cannot write: the runtime then waits for the grace period itself
            openUntil.set(nanoClock.getAsLong());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running.set(false);
        }
        // a kick that came after the loop's last check but saw us running
        if (nanoClock.getAsLong() - openUntil.get() < 0) {
            startWriter();
        }
    }

    /**
     * The {@code tasks} file of the v1 cgroup we are in now (read at the start of each window, so
     * that a move by the service manager is never undone): the {@code pids} hierarchy if mounted,
     * else the first mounted one. Exposed for tests.
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
                return dir.map(d -> d.resolve("tasks"));
            }
            if (first.isEmpty()) {
                first = dir.map(d -> d.resolve("tasks"));
            }
        }
        return first;
    }
}
