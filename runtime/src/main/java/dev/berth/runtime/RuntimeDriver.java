package dev.berth.runtime;

import java.io.Closeable;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Runs containers with an OCI runtime (runc or crun) under a shim (conmon), so that containers
 * outlive the daemon. Lifecycle: {@link #create} (rootfs mounted, config.json written, shim and
 * init process started but the user process not yet run) → {@link #start} → exits (observed via
 * {@link #awaitExit}) → {@link #delete}. After a daemon restart, {@link #restore} re-adopts
 * containers whose shim still runs. Thread-safe; all methods may block.
 */
public interface RuntimeDriver {
    /** "runc" or "crun". */
    String name();

    /**
     * Mounts the rootfs, writes the bundle and starts the shim which runs {@code <runtime> create}.
     * On failure everything done is undone (no mount, cgroup or directory left) and the runtime's
     * own error message is reported (INVALID_ARGUMENT or INTERNAL).
     */
    Created create(CreateRequest request);

    void start(String id);

    /** Sends a signal to the init process ({@code all}: to every process of the container). */
    void kill(String id, int signal, boolean all);

    void pause(String id);

    void resume(String id);

    /** Runtime delete, shim clean-up and rootfs unmount; absent is not an error. */
    void delete(String id);

    /** Completes with the exit status once the container's init process has exited (conmon's exit file). */
    CompletableFuture<ExitStatus> awaitExit(String id);

    /** Opens the container's stdio (conmon attach socket). Closing it detaches. */
    AttachConnection attach(String id);

    void resize(String id, int height, int width);

    /** Starts a process inside a running container. */
    ExecProcess exec(String id, ExecSpec spec);

    /** Pids of the container's processes (host pid namespace), from its cgroup. */
    List<Integer> pids(String id);

    /** Resource statistics from the container's cgroup (v1 or v2), in Docker's stats JSON shape. */
    Map<String, Object> stats(String id);

    /** Live-restore: the ids of containers whose shim still runs, with their state. */
    List<RestoredContainer> restore();

    /** Updates cgroup limits of a running container. */
    void update(String id, RuntimeContainerSpec.Resources resources);

    /**
     * @param bundleDir    where config.json, pidfile, ctl fifo and logs live ({@code <exec-root>/containers/<id>})
     * @param outputSpool  where the shim writes the container's output, in the driver's own format, for the
     *                     daemon to ship into the user-facing log (see {@link #openOutputSpool}); it survives
     *                     the daemon, so output written while the daemon is down is shipped when it is back
     * @param spoolMaxSize bytes after which the shim starts a new spool file (bounds the spool while nobody
     *                     reads it); 0 for unbounded
     */
    record CreateRequest(RuntimeContainerSpec spec, Path bundleDir, Path outputSpool, long spoolMaxSize, boolean openStdin, boolean stdinOnce) {}

    record Created(int pid) {}

    /** @param oomKilled true when the cgroup recorded an OOM kill */
    record ExitStatus(int exitCode, long finishedAtNanos, boolean oomKilled) {}

    record RestoredContainer(String id, int pid, boolean running, boolean paused, Optional<ExitStatus> exit) {}

    /** A process to run by {@link #exec}. */
    record ExecSpec(String execId, List<String> args, List<String> env, String cwd, String user, boolean tty, boolean privileged, boolean openStdin, int height, int width) {}

    /**
     * Container stdio. Without a TTY, output is demultiplexed into stdout and stderr; with a TTY
     * everything arrives as stdout. Closing ends the attachment, not the container.
     */
    interface AttachConnection extends Closeable {
        OutputStream stdin();

        /** Blocks for the next chunk; calls back with (isStderr, bytes) until EOF. */
        void pump(OutputHandler handler) throws java.io.IOException;
    }

    @FunctionalInterface
    interface OutputHandler {
        void output(boolean stderr, byte[] data, int offset, int length) throws java.io.IOException;
    }

    /** A running exec process. */
    interface ExecProcess extends Closeable {
        int pid();

        OutputStream stdin();

        /** Same contract as {@link AttachConnection#pump}. */
        void pump(OutputHandler handler) throws java.io.IOException;

        void resize(int height, int width);

        /** Blocks until the process exits; its exit code. */
        int waitFor() throws InterruptedException;
    }

    /**
     * Opens an incremental reader of a container's output spool (the {@link CreateRequest#outputSpool} of
     * this driver). The spool may not exist yet; it is read as the shim creates and rotates it.
     */
    OutputSpool openOutputSpool(Path outputSpool);

    /**
     * Reads what a shim spooled, in order, each record once. Not thread-safe: one owner drains it
     * (the daemon's log shipper for the container); closing releases the open file, and a drain
     * after that carries on where the last one stopped (if the shim has not started a new file).
     */
    interface OutputSpool extends Closeable {
        /**
         * Delivers every complete line written since the previous call, across the shim's own
         * rotations; returns false when there was nothing new. The start of a line whose end is
         * not written yet is held back (and kept in the spool) until its end comes.
         */
        boolean drain(LogConsumer consumer) throws java.io.IOException;

        /** The shim has exited: as {@link #drain}, then whatever was held back, as it is. */
        default boolean finish(LogConsumer consumer) throws java.io.IOException {
            return drain(consumer);
        }
    }

    /** One piece of output: a line ending in '\n', or a piece of a long line, or output that ended without a newline. */
    record LogEntry(long timeNanos, boolean stderr, byte[] data) {}

    @FunctionalInterface
    interface LogConsumer {
        void accept(LogEntry entry) throws java.io.IOException;
    }
}
