package dev.berth.daemon.container;

import dev.berth.api.model.ContainerWaitResponse;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.daemon.logs.LogTarget;
import dev.berth.network.NetworkService;
import dev.berth.oci.Mount;
import dev.berth.runtime.RuntimeContainerSpec;
import dev.berth.runtime.RuntimeDriver;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The container state machine: start (sandbox, files, volumes, runtime create/start, attach
 * hand-over), exit handling (state, teardown, die event, restart policy, auto-remove), stop, kill,
 * pause, unpause. State changes happen under the container's lock; waits for exits happen
 * outside it. Thread-safe.
 */
final class ContainerLifecycle {
    private static final System.Logger LOG = System.getLogger("berth.container");
    private final Engine e;
    private final HealthMonitor health;
    private final VolumeSeeder seeder;
    /** Called to remove an auto-remove container after it exited. */
    private volatile java.util.function.Consumer<Container> autoRemover = c -> { };

    private final ExitMonitor exits;

    ContainerLifecycle(Engine e, HealthMonitor health, VolumeSeeder seeder) {
        this.e = e;
        this.health = health;
        this.seeder = seeder;
        this.exits = new ExitMonitor(e, health, this);
    }

    ExitMonitor exits() {
        return exits;
    }

    /** An automatic restart (restart policy); the caller holds the lock. */
    void restartNow(Container c) {
        doStart(c);
    }

    void autoRemove(Container c) {
        autoRemover.accept(c);
    }

    void setAutoRemover(java.util.function.Consumer<Container> r) {
        this.autoRemover = r;
    }

    // ---------------------------------------------------------------- start

    void start(Container c) {
        c.lock.lock();
        try {
            var s = c.rec.state;
            if (s.removalInProgress || s.dead) {
                throw BerthException.conflict("container is marked for removal and cannot be started");
            }
            if (s.running && s.paused) {
                throw BerthException.conflict("cannot start a paused container, try unpause instead");
            }
            if (s.running && !s.restarting) {
                throw BerthException.notModified("container already started");
            }
            cancelScheduledRestart(c);
            c.rec.hasBeenManuallyStopped = false;
            c.backoff.reset();
            doStart(c);
        } finally {
            c.lock.unlock();
        }
    }

    /** Starts the container; the caller holds the lock. On failure everything done is undone. */
    private void doStart(Container c) {
        ContainerRecord r = c.rec;
        RuntimeDriver driver = e.driver(r);
        Deque<Runnable> undo = new ArrayDeque<>();
        List<String> acquired = new ArrayList<>();
        try {
            String mode = SandboxRequests.networkMode(r.hostConfig);
            String join = null;
            if (mode.startsWith("container:")) {
                join = "/proc/" + runningPid(mode.substring("container:".length()), "net") + "/ns/net";
            }
            List<String> linkHosts = Links.extraHosts(r, e.index, e.network);
            NetworkService.Sandbox sandbox = e.network.createSandbox(SandboxRequests.build(r, e.config.dns(), join, linkHosts));
            undo.push(() -> e.network.removeSandbox(r.id));

            String hostname = r.config.hostname() == null ? "" : r.config.hostname();
            e.store.writeFile(e.store.hostnamePath(r.id), sandbox.hostnameFile() != null ? sandbox.hostnameFile() : hostname + "\n");
            e.store.writeFile(e.store.hostsPath(r.id), sandbox.hostsFile() != null ? sandbox.hostsFile() : SandboxRequests.defaultHosts(hostname));
            e.store.writeFile(e.store.resolvConfPath(r.id), sandbox.resolvConf() != null ? sandbox.resolvConf() : hostResolvConf());
            List<RuntimeContainerSpec.IdMapping> uids = uidMappings(r, "/etc/subuid");
            List<RuntimeContainerSpec.IdMapping> gids = uidMappings(r, "/etc/subgid");
            r.hostnamePath = e.store.hostnamePath(r.id).toString();
            r.hostsPath = e.store.hostsPath(r.id).toString();
            r.resolvConfPath = e.store.resolvConfPath(r.id).toString();

            List<Mount> rootfsMounts = e.images.containerLayerMounts(r.id);
            if (!uids.isEmpty()) {
                rootfsMounts = e.userns.prepare(r.id, rootfsMounts, uids, gids);
                undo.push(() -> e.userns.release(r.id));
                for (Path own : List.of(e.store.hostnamePath(r.id), e.store.hostsPath(r.id), e.store.resolvConfPath(r.id))) {
                    try {
                        UsernsRootfs.ownRoot(own, uids, gids);
                    } catch (java.io.IOException ex) {
                        throw BerthException.internal("userns-remap: cannot hand " + own + " to the remapped root: " + ex.getMessage(), ex);
                    }
                }
            }
            java.util.Map<String, Path> volumePaths = new java.util.HashMap<>();
            for (PlannedMount m : r.mounts) {
                if (m.isVolume()) {
                    Path p = e.volumes.acquire(m.source());
                    acquired.add(m.source());
                    undo.push(() -> e.volumes.release(m.source()));
                    volumePaths.put(m.source(), p);
                    if (!uids.isEmpty()) {
                        try {
                            UsernsRootfs.ownRoot(p, uids, gids); // as dockerd: a volume belongs to the remapped root
                        } catch (java.io.IOException ex) {
                            throw BerthException.internal("userns-remap: cannot hand volume " + m.source() + " to the remapped root: "
                                    + ex.getMessage(), ex);
                        }
                    }
                    if (!m.noCopy()) {
                        seeder.seed(m.source(), rootfsMounts, m.destination());
                    }
                }
            }
            checkPropagation(r.mounts);
            List<Mount> mounts = new ArrayList<>(SpecAssembler.ociMounts(r.mounts, volumePaths::get));
            if (!hasDest(r.mounts, "/etc/resolv.conf")) {
                mounts.add(new Mount("bind", r.resolvConfPath, "/etc/resolv.conf", List.of("rbind", "rprivate")));
            }
            if (!hasDest(r.mounts, "/etc/hostname")) {
                mounts.add(new Mount("bind", r.hostnamePath, "/etc/hostname", List.of("rbind", "rprivate")));
            }
            if (!hasDest(r.mounts, "/etc/hosts")) {
                mounts.add(new Mount("bind", r.hostsPath, "/etc/hosts", List.of("rbind", "rprivate")));
            }
            Path bundle = e.bundleDir(r.id);
            RuntimeContainerSpec spec = SpecAssembler.assemble(new SpecAssembler.Inputs(
                    r, bundle.resolve("rootfs"), rootfsMounts, mounts, sandbox.netnsPath(),
                    uids, gids,
                    e.config.cgroupParent() == null || e.config.cgroupParent().isEmpty() ? "/berth" : e.config.cgroupParent(),
                    e.config.containerDefaults()),
                    this::runningPid);
            LogTarget logTarget = e.logTarget(r);
            try {
                e.logs.starting(r.id, logTarget);
            } catch (java.io.IOException ex) {
                throw BerthException.internal("cannot prepare the log of " + r.id + ": " + ex.getMessage(), ex);
            }
            undo.push(() -> e.logs.stopped(r.id));
            RuntimeDriver.Created created = driver.create(new RuntimeDriver.CreateRequest(
                    spec, bundle, logTarget.spool(), e.logSettings(r).spoolMaxSize(), r.config.openStdin(), r.config.stdinOnce()));
            undo.push(() -> driver.delete(r.id));

            long gen = ++c.generation;
            if (c.exited.isDone()) {
                c.exited = new CompletableFuture<>();
            }
            // Attach sessions opened before start get the stdio now, before the process runs.
            for (AttachService.Session s : List.copyOf(c.pendingAttaches)) {
                try {
                    s.connect(driver.attach(r.id), c.exited);
                } catch (RuntimeException ex) {
                    s.fail(ex);
                }
            }
            c.pendingAttaches.clear();
            // StartedAt is taken before the process runs, so that log entries of this run are never older than it
            String startedAt = e.now();
            driver.start(r.id);

            var st = r.state;
            st.running = true;
            st.paused = false;
            st.restarting = false;
            st.pid = created.pid();
            st.exitCode = 0;
            st.error = "";
            st.oomKilled = false;
            st.startedAt = startedAt;
            r.hasBeenStartedBefore = true;
            r.sandboxId = sandbox.sandboxId();
            st.health = HealthMonitor.hasProbe(r.config.healthcheck()) ? new ContainerRecord.HealthRecord() : null;
            e.store.save(r);
            exits.monitor(c, driver, gen);
            health.start(c);
            e.events.emit(r, "start");
        } catch (RuntimeException startError) {
            RuntimeException ex = RuntimeErrors.dockerWording(startError, r.path);
            while (!undo.isEmpty()) {
                Engine.quietly("undo start of " + r.id, undo.pop());
            }
            var st = r.state;
            st.running = false;
            st.restarting = false;
            st.pid = 0;
            st.error = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            st.exitCode = exitCodeFor(st.error);
            Engine.quietly("save " + r.id, () -> e.store.save(r));
            for (AttachService.Session s : List.copyOf(c.pendingAttaches)) {
                s.fail(ex);
            }
            c.pendingAttaches.clear();
            if (r.hostConfig.autoRemove()) {
                // as dockerd: an auto-remove container whose start failed is removed
                e.virtual.execute(() -> autoRemover.accept(c));
            }
            if (ex instanceof BerthException be) {
                throw be;
            }
            throw new BerthException(ErrorKind.INTERNAL, st.error, ex);
        }
    }

    private static boolean hasDest(List<PlannedMount> mounts, String dest) {
        return mounts.stream().anyMatch(m -> m.destination().equals(dest));
    }

    /** Docker's exit codes for start failures: 127 not found, 126 not executable, else 128. */
    static int exitCodeFor(String msg) {
        if (msg.contains("executable file not found") || msg.contains("no such file or directory")) {
            return 127;
        }
        if (msg.contains("permission denied")) {
            return 126;
        }
        return 128;
    }

    private List<RuntimeContainerSpec.IdMapping> uidMappings(ContainerRecord r, String file) {
        String remap = e.config.usernsRemap();
        if (remap == null || remap.isEmpty() || "host".equals(r.hostConfig.usernsMode()) || r.hostConfig.privileged()) {
            return List.of();
        }
        String user = remap.equals("default") ? "dockremap" : remap.split(":")[0];
        if (file.endsWith("subgid") && remap.contains(":")) {
            user = remap.split(":")[1];
        }
        return SpecAssembler.subIds(Path.of(file), user);
    }

    /**
     * dockerd's check: a bind mount can only share mounts with the host if its source is on a
     * shared mount (or, for slave propagation, a shared or slave one); else the start fails.
     */
    private void checkPropagation(List<PlannedMount> planned) {
        for (PlannedMount m : planned) {
            String p = m.propagation();
            boolean shared = p.equals("shared") || p.equals("rshared");
            boolean slave = p.equals("slave") || p.equals("rslave");
            if (!"bind".equals(m.type()) || !shared && !slave || Path.of(m.source()).startsWith(e.config.dataRoot())) {
                continue;
            }
            java.util.Optional<dev.berth.sys.proc.ProcFs.MountPropagation> on;
            try {
                on = dev.berth.sys.proc.ProcFs.host().propagationOf(Path.of(m.source()));
            } catch (java.io.IOException ex) {
                throw BerthException.internal("cannot read the mount table: " + ex.getMessage(), ex);
            }
            if (on.isEmpty()) {
                continue;
            }
            if (shared && !on.get().shared()) {
                throw BerthException.invalid("path %s is mounted on %s but it is not a shared mount", m.source(), on.get().mountPoint());
            }
            if (slave && !on.get().shared() && !on.get().slave()) {
                throw BerthException.invalid("path %s is mounted on %s but it is not a shared or slave mount", m.source(),
                        on.get().mountPoint());
            }
        }
    }

    private static String hostResolvConf() {
        try {
            return java.nio.file.Files.readString(Path.of("/etc/resolv.conf"));
        } catch (java.io.IOException ex) {
            return "nameserver 8.8.8.8\nnameserver 8.8.4.4\n";
        }
    }

    /** Pid of a running container named by {@code ref}, for container:&lt;x&gt; namespace modes. */
    int runningPid(String ref, String what) {
        Container other = e.index.get(ref);
        int pid = other.locked(() -> other.rec.state.running && !other.rec.state.restarting ? other.rec.state.pid : 0);
        if (pid <= 0) {
            throw BerthException.conflict("cannot join %s namespace of a non running container: %s", what, ref);
        }
        return pid;
    }

    private static void cancelScheduledRestart(Container c) {
        var f = c.scheduledRestart;
        if (f != null) {
            f.cancel(false);
            c.scheduledRestart = null;
        }
    }

    // ---------------------------------------------------------------- stop / kill

    /** Stops with the stop signal, then SIGKILL after the timeout. Not running is NOT_MODIFIED. */
    void stop(Container c, Integer timeoutSeconds, String signal) {
        CompletableFuture<ContainerWaitResponse> exited;
        int sig;
        int timeout;
        c.lock.lock();
        try {
            ContainerRecord r = c.rec;
            if (r.state.restarting) {
                cancelScheduledRestart(c);
                r.hasBeenManuallyStopped = true;
                r.state.restarting = false;
                r.state.running = false;
                e.store.save(r);
                e.events.emit(r, "stop");
                return;
            }
            if (!r.state.running) {
                throw BerthException.notModified("container already stopped");
            }
            r.hasBeenManuallyStopped = true;
            e.store.save(r);
            exited = c.exited;
            sig = Signals.parse(signal != null && !signal.isEmpty() ? signal : r.config.stopSignal(), Signals.SIGTERM);
            timeout = timeoutSeconds != null ? timeoutSeconds : (r.config.stopTimeout() != null ? r.config.stopTimeout() : 10);
        } finally {
            c.lock.unlock();
        }
        signalAndWait(c, exited, sig, timeout);
        e.events.emit(c.rec, "stop");
    }

    private void signalAndWait(Container c, CompletableFuture<ContainerWaitResponse> exited, int sig, int timeout) {
        RuntimeDriver driver = e.driver(c.rec);
        if (sig != Signals.SIGKILL) {
            e.events.emit(c.rec, "kill", Map.of("signal", Integer.toString(sig)));
            try {
                driver.kill(c.id(), sig, false);
                if (c.rec.state.paused) {
                    driver.resume(c.id()); // a paused process cannot handle the signal
                }
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.DEBUG, "stop signal failed: " + ex.getMessage());
            }
            if (await(exited, timeout < 0 ? Long.MAX_VALUE : timeout)) {
                return;
            }
        }
        e.events.emit(c.rec, "kill", Map.of("signal", Integer.toString(Signals.SIGKILL)));
        Engine.quietly("SIGKILL " + c.id(), () -> driver.kill(c.id(), Signals.SIGKILL, true));
        if (!await(exited, 30)) {
            throw BerthException.internal("tried to kill container, but did not receive an exit event", null);
        }
    }

    private static boolean await(CompletableFuture<?> f, long seconds) {
        try {
            f.get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException ex) {
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw BerthException.internal("interrupted", ex);
        } catch (java.util.concurrent.ExecutionException ex) {
            return true;
        }
    }

    void kill(Container c, String given, String signal) {
        int sig = Signals.parse(signal, Signals.SIGKILL);
        CompletableFuture<ContainerWaitResponse> exited;
        c.lock.lock();
        try {
            ContainerRecord r = c.rec;
            if (r.state.restarting && (sig == Signals.SIGKILL || sig == Signals.SIGTERM)) {
                cancelScheduledRestart(c);
                r.hasBeenManuallyStopped = true;
                r.state.restarting = false;
                r.state.running = false;
                e.store.save(r);
                return;
            }
            if (!r.state.running || r.state.restarting) {
                throw BerthException.conflict("Cannot kill container: %s: container %s is not running", given, r.id);
            }
            if (sig == Signals.SIGKILL || sig == Signals.SIGTERM) {
                r.hasBeenManuallyStopped = true;
                e.store.save(r);
            }
            exited = c.exited;
            e.events.emit(r, "kill", Map.of("signal", Integer.toString(sig)));
            e.driver(r).kill(r.id, sig, sig == Signals.SIGKILL);
        } finally {
            c.lock.unlock();
        }
        if (sig == Signals.SIGKILL) {
            await(exited, 10); // as dockerd: kill returns once the container is gone
        }
    }

    void pause(Container c) {
        c.locked(() -> {
            ContainerRecord r = c.rec;
            if (!r.state.running) {
                throw BerthException.conflict("Container %s is not running", r.id);
            }
            if (r.state.paused) {
                throw BerthException.conflict("Container %s is already paused", r.id);
            }
            if (r.state.restarting) {
                throw BerthException.conflict("Container %s is restarting, wait until the container is running", r.id);
            }
            e.driver(r).pause(r.id);
            r.state.paused = true;
            e.store.save(r);
            e.events.emit(r, "pause");
        });
    }

    void unpause(Container c) {
        c.locked(() -> {
            ContainerRecord r = c.rec;
            if (!r.state.running || !r.state.paused) {
                throw BerthException.conflict("Container %s is not paused", r.id);
            }
            e.driver(r).resume(r.id);
            r.state.paused = false;
            e.store.save(r);
            e.events.emit(r, "unpause");
        });
    }

    void restart(Container c, Integer timeout, String signal) {
        boolean running = c.locked(() -> c.rec.state.running);
        if (running) {
            try {
                stop(c, timeout, signal);
            } catch (BerthException ex) {
                if (ex.kind() != ErrorKind.NOT_MODIFIED) {
                    throw ex;
                }
            }
        }
        try {
            start(c);
        } catch (BerthException ex) {
            if (ex.kind() != ErrorKind.NOT_MODIFIED) {
                throw ex;
            }
        }
        e.events.emit(c.rec, "restart");
    }

    /** Kills a running container for {@code rm -f}; waits for the exit to be handled. */
    void forceKill(Container c) {
        CompletableFuture<ContainerWaitResponse> exited = c.locked(() -> {
            cancelScheduledRestart(c);
            c.rec.hasBeenManuallyStopped = true;
            if (c.rec.state.restarting) {
                c.rec.state.restarting = false;
                c.rec.state.running = false;
                return null;
            }
            return c.rec.state.running ? c.exited : null;
        });
        if (exited != null) {
            signalAndWait(c, exited, Signals.SIGKILL, 0);
        }
    }

    void shutdown() {
        e.timers.shutdownNow();
    }
}
