package dev.berth.daemon.logs;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The daemon's side of container logging: conmon spools each container's output to a file that
 * outlives the daemon, and these shippers move it into the container's log in the format of its
 * driver, json-file or local (rotated and bounded, see {@link dev.berth.logger.LogFileWriter}).
 * While a container runs, a virtual thread ships its spool — every {@value #BUSY_MILLIS} ms while output flows or someone follows
 * the log, backing off to {@value #IDLE_MILLIS} ms when it is quiet; readers call {@link #sync}
 * first, so {@code docker logs} always sees everything written so far.
 *
 * <p>Lifecycle per container: {@link #starting} (before the shim starts) … {@link #stopped}
 * (after the run ended: final shipping, the thread ends, the files are closed) … {@link #forget}
 * (container removed). Only running containers hold files open.
 * After a daemon restart, {@link #adopt} picks up where the last daemon stopped. Thread-safe.
 */
public final class LogShippers {
    static final long BUSY_MILLIS = 20;
    static final long IDLE_MILLIS = 500;
    private static final System.Logger LOG = System.getLogger("berth.logs");

    private final ExecutorService threads;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** @param threads where the per-container loops run (virtual threads: they mostly sleep) */
    public LogShippers(ExecutorService threads) {
        this.threads = threads;
    }

    /** One container: its shipper, and the state of its background loop. */
    private static final class Entry {
        final LogShipper shipper;
        final ReentrantLock lock = new ReentrantLock();
        final Condition wake = lock.newCondition();
        final AtomicInteger followers = new AtomicInteger();
        /** Bumped by every start and stop, so a loop from an earlier run ends on its own. */
        long run;
        boolean active;

        Entry(LogShipper shipper) {
            this.shipper = shipper;
        }
    }

    /**
     * A run of the container is about to start: the previous run's spool is shipped and cleared,
     * and a loop ships this run's output until {@link #stopped}. Blocks while shipping the rest of
     * the previous run.
     *
     * @throws BerthException with dockerd's message when the driver refuses its options ({@link LogTarget#refusal})
     */
    public void starting(String id, LogTarget target) throws IOException {
        if (target.refusal() != null) {
            // dockerd fails the task creation with an unknown-kind error: a 500, exit code 128
            throw new BerthException(ErrorKind.INTERNAL,
                    "failed to create task for container: failed to initialize logging driver: " + target.refusal());
        }
        Entry e = entries.compute(id, (k, old) -> old != null && old.shipper.target().equals(target) ? old : replace(old, k, target));
        e.shipper.newRun();
        startLoop(e);
    }

    private static Entry replace(Entry old, String id, LogTarget target) {
        if (old != null) {
            stopLoop(old);
            closeQuietly(old);
        }
        return new Entry(new LogShipper(id, target));
    }

    /**
     * After a daemon restart: resumes shipping a container's spool. A running container gets its
     * loop back; for one that exited while the daemon was down, what is left is shipped once.
     */
    public void adopt(String id, LogTarget target, boolean running) {
        Entry e = entries.computeIfAbsent(id, k -> new Entry(new LogShipper(k, target)));
        if (running) {
            startLoop(e);
        } else {
            shipAndClose(e);
        }
    }

    /** The run ended: ships everything the shim wrote, stops the loop and closes the files. */
    public void stopped(String id) {
        Entry e = entries.get(id);
        if (e != null) {
            stopLoop(e);
            shipAndClose(e);
        }
    }

    /** Ships what is spooled now, so that a reader of the log sees it. No-op for unknown ids. */
    public void sync(String id) {
        Entry e = entries.get(id);
        if (e == null) {
            return;
        }
        boolean active;
        e.lock.lock();
        try {
            active = e.active;
        } finally {
            e.lock.unlock();
        }
        if (active) {
            shipQuietly(e);
        } else {
            shipAndClose(e); // a stopped container keeps no file open
        }
    }

    /** For a container whose output has ended: everything is shipped, a last line without newline too. */
    private static void shipAndClose(Entry e) {
        try {
            e.shipper.shipAll();
        } catch (IOException | RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "shipping the log of " + e.shipper.id() + ": " + ex.getMessage());
        }
        closeQuietly(e);
    }

    private static void closeQuietly(Entry e) {
        try {
            e.shipper.close();
        } catch (IOException ex) {
            LOG.log(System.Logger.Level.WARNING, "closing the log of " + e.shipper.id() + ": " + ex.getMessage());
        }
    }

    /**
     * A reader follows the log: until the returned handle is closed, the loop ships at the busy rate.
     */
    public Following follow(String id) {
        Entry e = entries.get(id);
        if (e == null) {
            return () -> { };
        }
        e.followers.incrementAndGet();
        signal(e);
        return e.followers::decrementAndGet;
    }

    /** A registered follower; closing it (once) unregisters. */
    public interface Following extends AutoCloseable {
        @Override
        void close();
    }

    /** The container is being removed: stops shipping and releases its files (which the caller deletes). */
    public void forget(String id) {
        Entry e = entries.remove(id);
        if (e != null) {
            stopLoop(e);
            closeQuietly(e);
        }
    }

    private void startLoop(Entry e) {
        long run;
        e.lock.lock();
        try {
            run = ++e.run;
            e.active = true;
        } finally {
            e.lock.unlock();
        }
        threads.execute(() -> loop(e, run));
    }

    private static void stopLoop(Entry e) {
        e.lock.lock();
        try {
            e.run++;
            e.active = false;
            e.wake.signalAll();
        } finally {
            e.lock.unlock();
        }
    }

    private static void signal(Entry e) {
        e.lock.lock();
        try {
            e.wake.signalAll();
        } finally {
            e.lock.unlock();
        }
    }

    private void loop(Entry e, long run) {
        long pause = BUSY_MILLIS;
        while (true) {
            boolean progressed = shipQuietly(e);
            pause = progressed || e.followers.get() > 0 ? BUSY_MILLIS : Math.min(IDLE_MILLIS, pause * 2);
            e.lock.lock();
            try {
                if (e.run != run || !e.active) {
                    return;
                }
                e.wake.await(pause, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (e.run != run || !e.active) {
                    return;
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                e.lock.unlock();
            }
        }
    }

    private static boolean shipQuietly(Entry e) {
        try {
            return e.shipper.ship();
        } catch (IOException | RuntimeException ex) {
            // a full disk or a vanished directory must not kill the loop; the spool keeps the output
            LOG.log(System.Logger.Level.WARNING, "shipping the log of " + e.shipper.id() + ": " + ex.getMessage());
            return false;
        }
    }
}
