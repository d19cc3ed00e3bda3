package dev.berth.daemon.container;

import dev.berth.api.backend.ContainerBackend.AttachOptions;
import dev.berth.api.backend.HijackedStreams;
import dev.berth.api.model.ContainerWaitResponse;
import dev.berth.common.BerthException;
import dev.berth.runtime.RuntimeDriver;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /containers/{id}/attach}. A session opened before start waits in the container's
 * pending list; start connects it to the runtime's stdio before the process runs, so no output is
 * lost. The session is registered before the upgrade is answered (see HijackedStreams#ready). The call blocks until the process exits (output drained), the client detaches (detach
 * keys, default ctrl-p,ctrl-q) or goes away. Thread-safe.
 */
final class AttachService {
    private final Engine e;
    private final LogsService logs;

    AttachService(Engine e, LogsService logs) {
        this.e = e;
        this.logs = logs;
    }

    /** One attach session: created by {@link #attach}, connected by the lifecycle at start. */
    final class Session {
        private final AttachOptions opts;
        private final HijackedStreams streams;
        private final byte[] keys;
        private final boolean tty;
        private final boolean stdinOnce;
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        Session(AttachOptions opts, HijackedStreams streams, byte[] keys, boolean tty, boolean stdinOnce) {
            this.opts = opts;
            this.streams = streams;
            this.keys = keys;
            this.tty = tty;
            this.stdinOnce = stdinOnce;
        }

        /** Hands the runtime's stdio to the session; pumping runs on its own threads. */
        void connect(RuntimeDriver.AttachConnection conn, CompletableFuture<ContainerWaitResponse> exited) {
            e.virtual.execute(() -> {
                try {
                    StdioBridge bridge = new StdioBridge(streams.output(), tty, opts.stdout(), opts.stderr(),
                            opts.stdin() ? streams.stdin() : null, keys, stdinOnce, e.virtual);
                    StdioBridge.End end = bridge.run(conn::pump, opts.stdin() ? conn.stdin() : null, exited);
                    System.getLogger("berth.container").log(System.Logger.Level.DEBUG, "attach session ended: " + end);
                } finally {
                    try {
                        conn.close();
                    } catch (IOException ignored) {
                        // detaching only
                    }
                    done.complete(null);
                }
            });
        }

        void fail(Throwable t) {
            System.getLogger("berth.container").log(System.Logger.Level.WARNING, "attach session ended: " + t.getMessage());
            done.complete(null);
        }

        void await() {
            while (true) {
                try {
                    done.get(1, TimeUnit.SECONDS);
                    return;
                } catch (java.util.concurrent.TimeoutException ex) {
                    if (streams.output().isClosed()) {
                        return;
                    }
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (java.util.concurrent.ExecutionException ex) {
                    return;
                }
            }
        }
    }

    void attach(Container c, AttachOptions opts, HijackedStreams streams) {
        byte[] keys = DetachKeys.parse(opts.detachKeys());
        ContainerRecord r = c.rec;
        if (r.state.removalInProgress || r.state.dead) {
            throw BerthException.conflict("container %s is being removed", r.id);
        }
        e.events.emit(r, "attach");
        if (opts.logs()) {
            logs.replay(c, opts.stdout(), opts.stderr(), streams.output());
        }
        if (!opts.stream()) {
            return;
        }
        Session s = new Session(opts, streams, keys, r.config.tty(), r.config.stdinOnce());
        // Register (or connect) the session before the client sees 101: docker run starts the
        // container as soon as the upgrade arrives, and a session registered first cannot miss
        // any output.
        RuntimeDriver.AttachConnection conn = null;
        CompletableFuture<ContainerWaitResponse> exited = null;
        c.lock.lock();
        try {
            if (r.state.running && !r.state.restarting) {
                conn = e.driver(r).attach(r.id);
                exited = c.exited;
            } else {
                c.pendingAttaches.add(s);
            }
        } finally {
            c.lock.unlock();
        }
        try {
            streams.ready();
        } catch (IOException gone) {
            c.locked(() -> c.pendingAttaches.remove(s));
            closeQuietly(conn);
            return;
        }
        if (conn != null) {
            s.connect(conn, exited);
        }
        try {
            s.await();
        } finally {
            c.locked(() -> c.pendingAttaches.remove(s));
        }
    }

    private static void closeQuietly(RuntimeDriver.AttachConnection conn) {
        if (conn != null) {
            try {
                conn.close();
            } catch (IOException ignored) {
                // nothing was attached yet
            }
        }
    }
}
