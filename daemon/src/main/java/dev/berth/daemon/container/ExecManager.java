package dev.berth.daemon.container;

import dev.berth.api.backend.ExecBackend;
import dev.berth.api.backend.HijackedStreams;
import dev.berth.api.model.ExecCreateRequest;
import dev.berth.api.model.ExecInspect;
import dev.berth.common.BerthException;
import dev.berth.common.Ids;
import dev.berth.runtime.RuntimeDriver;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link ExecBackend}: exec sessions in running containers. Exec records live in memory; as in
 * Docker, a container's inspect lists only the execs that have not finished, and a finished exec
 * can still be inspected for {@link #KEEP_FINISHED} (then it is forgotten, so that health checks
 * and scripted execs do not grow the daemon or every inspect without bound). Thread-safe.
 */
public final class ExecManager implements ExecBackend {
    /** How long a finished exec stays inspectable (Docker's exec GC keeps them 5-10 minutes). */
    static final Duration KEEP_FINISHED = Duration.ofMinutes(5);

    private final Engine e;
    private final ConcurrentHashMap<String, Exec> execs = new ConcurrentHashMap<>();
    /** Next time {@link #pruneFinished} scans (epoch ms): a scan visits every exec, so not on every create. */
    private final AtomicLong nextPrune = new AtomicLong();

    /** One exec instance. Mutable fields are guarded by the instance's monitor. */
    static final class Exec {
        final String id;
        final Container container;
        final ExecCreateRequest req;
        boolean running;
        boolean started;
        Integer exitCode;
        /** When exitCode was set. */
        Instant finishedAt;
        int pid;
        RuntimeDriver.ExecProcess process;
        Integer pendingHeight;
        Integer pendingWidth;

        Exec(String id, Container container, ExecCreateRequest req) {
            this.id = id;
            this.container = container;
            this.req = req;
        }
    }

    ExecManager(Engine e) {
        this.e = e;
    }

    @Override
    public String create(String containerNameOrId, ExecCreateRequest request) {
        Container c = e.index.get(containerNameOrId);
        if (request.cmd() == null || request.cmd().isEmpty()) {
            throw BerthException.invalid("No exec command specified");
        }
        if (request.detachKeys() != null && !request.detachKeys().isEmpty()) {
            DetachKeys.parse(request.detachKeys());
        }
        String id = Ids.newId();
        c.locked(() -> {
            var s = c.rec.state;
            if (!s.running || s.restarting) {
                throw BerthException.conflict("container %s is not running", c.id());
            }
            if (s.paused) {
                throw BerthException.conflict("Container %s is paused, unpause the container before exec", c.id());
            }
            execs.put(id, new Exec(id, c, request));
        });
        pruneFinished();
        e.events.emit(c.rec, "exec_create: " + String.join(" ", request.cmd()), Map.of("execID", id));
        return id;
    }

    private Exec get(String id) {
        Exec x = execs.get(id);
        if (x == null) {
            throw BerthException.notFound("No such exec instance: %s", id);
        }
        return x;
    }

    @Override
    public void start(String execId, boolean tty, Integer consoleHeight, Integer consoleWidth, HijackedStreams streams) {
        Exec x = get(execId);
        Container c = x.container;
        ExecCreateRequest q = x.req;
        synchronized (x) {
            if (x.started) {
                throw BerthException.conflict("Exec command %s is already running", execId);
            }
            x.started = true;
        }
        boolean useTty = q.tty() || tty;
        int h = consoleHeight != null ? consoleHeight : size(q.consoleSize(), 0);
        int w = consoleWidth != null ? consoleWidth : size(q.consoleSize(), 1);
        ContainerRecord r = c.rec;
        RuntimeDriver.ExecProcess proc;
        c.lock.lock();
        try {
            if (!r.state.running || r.state.restarting) {
                throw BerthException.conflict("container %s is not running", r.id);
            }
            List<String> env = new ArrayList<>(SpecAssembler.environment(r));
            if (q.env() != null) {
                env.addAll(q.env());
            }
            String cwd = q.workingDir() != null && !q.workingDir().isEmpty() ? q.workingDir()
                    : (r.config.workingDir() == null || r.config.workingDir().isEmpty() ? "/" : r.config.workingDir());
            String user = q.user() != null && !q.user().isEmpty() ? q.user() : (r.config.user() == null ? "" : r.config.user());
            proc = new ExecExitCodes(e.driver(r).exec(r.id, new RuntimeDriver.ExecSpec(execId, q.cmd(), dedupEnv(env), cwd, user, useTty,
                    q.privileged(), q.attachStdin() && streams != null, h, w)), q.cmd().isEmpty() ? null : q.cmd().getFirst());
        } catch (RuntimeException ex) {
            synchronized (x) {
                x.exitCode = 126;
                x.finishedAt = e.clock.instant();
            }
            throw ex;
        } finally {
            c.lock.unlock();
        }
        synchronized (x) {
            x.process = proc;
            x.pid = proc.pid();
            x.running = true;
            if (x.pendingHeight != null) {
                proc.resize(x.pendingHeight, x.pendingWidth);
            }
        }
        e.events.emit(r, "exec_start: " + String.join(" ", q.cmd()), Map.of("execID", execId));
        if (streams == null) {
            e.virtual.execute(() -> {
                try {
                    proc.pump((err, d, o, l) -> { });
                } catch (IOException ignored) {
                    // drained
                }
                finish(x, proc);
            });
            return;
        }
        StdioBridge bridge = new StdioBridge(streams.output(), useTty, q.attachStdout(), q.attachStderr(),
                q.attachStdin() ? streams.stdin() : null,
                DetachKeys.parse(q.detachKeys()), true, e.virtual);
        StdioBridge.End end = bridge.run(proc::pump, q.attachStdin() ? proc.stdin() : null, null);
        if (end == StdioBridge.End.OUTPUT_EOF) {
            finish(x, proc);
        } else {
            e.virtual.execute(() -> finish(x, proc));
        }
    }

    private void finish(Exec x, RuntimeDriver.ExecProcess proc) {
        int code;
        try {
            code = proc.waitFor();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            code = 137;
        }
        synchronized (x) {
            x.exitCode = code;
            x.finishedAt = e.clock.instant();
            x.running = false;
        }
        try {
            proc.close();
        } catch (IOException ignored) {
            // already gone
        }
        e.events.emit(x.container.rec, "exec_die", Map.of("execID", x.id, "exitCode", Integer.toString(code)));
    }

    private static List<String> dedupEnv(List<String> env) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String s : env) {
            m.put(ConfigMerger.key(s), s);
        }
        return new ArrayList<>(m.values());
    }

    private static int size(List<Integer> consoleSize, int i) {
        return consoleSize != null && consoleSize.size() == 2 && consoleSize.get(i) != null ? consoleSize.get(i) : 0;
    }

    @Override
    public void resize(String execId, int height, int width) {
        Exec x = get(execId);
        synchronized (x) {
            if (x.process != null && x.running) {
                x.process.resize(height, width);
            } else {
                x.pendingHeight = height;
                x.pendingWidth = width;
            }
        }
    }

    @Override
    public ExecInspect inspect(String execId) {
        Exec x = get(execId);
        ExecCreateRequest q = x.req;
        synchronized (x) {
            List<String> cmd = q.cmd();
            return new ExecInspect(false, q.detachKeys() == null ? "" : q.detachKeys(), x.id, x.running, x.exitCode,
                    new ExecInspect.ProcessConfig(q.privileged(), q.user() == null ? "" : q.user(), q.tty(), cmd.getFirst(),
                            cmd.subList(1, cmd.size())),
                    q.attachStdin(), q.attachStderr(), q.attachStdout(), x.container.id(), x.pid);
        }
    }

    @Override
    public boolean usesTty(String execId) {
        return get(execId).req.tty();
    }

    /**
     * Ids of a container's execs that have not finished (inspect's ExecIDs: Docker drops an exec
     * from its container's list when the process exits); null when none, as Docker shows.
     */
    List<String> idsOf(String containerId) {
        List<String> out = new ArrayList<>();
        for (Exec x : execs.values()) {
            if (x.container.id().equals(containerId)) {
                synchronized (x) {
                    if (x.exitCode == null) {
                        out.add(x.id);
                    }
                }
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** Forgets execs that finished more than {@link #KEEP_FINISHED} ago (at most one scan a minute). */
    private void pruneFinished() {
        Instant now = e.clock.instant();
        long next = nextPrune.get();
        if (now.toEpochMilli() < next || !nextPrune.compareAndSet(next, now.toEpochMilli() + 60_000)) {
            return;
        }
        Instant cutoff = now.minus(KEEP_FINISHED);
        execs.values().removeIf(x -> {
            synchronized (x) {
                return x.finishedAt != null && x.finishedAt.isBefore(cutoff);
            }
        });
    }

    /** Forgets a removed container's execs. */
    void forget(String containerId) {
        execs.values().removeIf(x -> x.container.id().equals(containerId));
    }
}
