package dev.berth.runtime;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Json;
import dev.berth.oci.Mount;
import dev.berth.sys.cgroup.Cgroups;
import dev.berth.sys.fs.FileSpace;
import dev.berth.sys.mount.Mounter;
import dev.berth.sys.proc.CommandResult;
import dev.berth.sys.proc.ProcFs;
import dev.berth.sys.proc.ProcessLauncher;
import dev.berth.sys.proc.SealedCopy;
import dev.berth.sys.unix.SeqpacketSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link RuntimeDriver} running runc or crun under conmon. Layout under the exec root:
 * {@code state/} (the runtime's {@code --root}), {@code exits/<id>} (exit codes written by
 * conmon), {@code socks/<id>} (conmon's symlink to the bundle, for short attach socket paths)
 * and {@code bundles/<id>} (the bundle path, for restore). The bundle holds config.json,
 * pidfile, conmon.pid, runtime.log and conmon's ctl/winsz fifos and attach socket.
 * Thread-safe: per-container operations rely on the runtime's own locking.
 */
public final class ConmonRuntimeDriver implements RuntimeDriver {
    private static final long CREATE_TIMEOUT_MILLIS = 60_000;

    private final String name;
    private final Path conmon;
    private final Path execRoot;
    private final RuntimeCli cli;
    private final OciSpecBuilder specs;
    private final Mounter mounter;
    private final ProcessLauncher launcher;
    private final Cgroups cgroups;
    private final ProcFs proc;
    /** Reclaims the consumed part of output spools; null leaves them to conmon's rotation. */
    private final FileSpace space;
    private final ExitWatcher exits;
    private final ExecLauncher execs;
    private final CgroupAttachWarmup warmup;
    private final boolean crun;
    private final CgroupStats stats;
    private final BfqWeight bfq;
    /** cgroupsPath by container id, so exit handling and stats do not re-parse config.json. */
    private final Map<String, String> cgroupPaths = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param runtime the runtime binary (e.g. /usr/sbin/runc)
     * @param runtimeName "runc" or "crun"
     * @param conmon the conmon binary
     * @param execRoot a short directory for our state (socket paths must stay under 108 bytes)
     */
    public ConmonRuntimeDriver(Path runtime, String runtimeName, Path conmon, Path execRoot,
                               OciSpecBuilder specs, Mounter mounter, ProcessLauncher launcher, Cgroups cgroups, ProcFs proc,
                               FileSpace space) {
        this.name = runtimeName;
        this.conmon = conmon;
        this.execRoot = execRoot;
        Path effective;
        try {
            effective = CrunHybridCgroups.wrap(runtime, runtimeName, execRoot);
        } catch (IOException e) {
            throw BerthException.internal("cannot write the crun wrapper under " + execRoot + ": " + e.getMessage(), e);
        }
        // crun's calls that bypass the wrapper run a sealed in-memory copy, so crun skips copying itself each time
        // (runc 1.1 accepts the copy too, but its exec then loses the process's rlimits: runc keeps its own binary)
        Path direct = "crun".equals(runtimeName) ? SealedCopy.of(runtime, runtimeName).orElse(runtime) : runtime;
        this.cli = new RuntimeCli(effective, direct, execRoot.resolve("state"), launcher);
        this.specs = specs;
        this.mounter = mounter;
        this.launcher = launcher;
        this.cgroups = cgroups;
        this.proc = proc;
        this.space = space;
        this.exits = new ExitWatcher(execRoot.resolve("exits"), this::cgroupsPathOf, cgroups);
        this.crun = "crun".equals(runtimeName);
        this.warmup = CgroupAttachWarmup.host();
        // runc 1.1 sets an exec's rlimits racing its own Go start-up (runc#4195): a fast cgroup join
        // makes it lose the race, so its execs wait for the fast path to lapse instead
        this.execs = new ExecLauncher(cli, launcher, Capabilities.fromMask(specs.host().capBounding()), crun,
                crun ? warmup::kick : warmup::closeAndLapse);
        this.stats = new CgroupStats(cgroups, proc);
        this.bfq = new BfqWeight("crun".equals(runtimeName) && BfqWeight.bfqOnlyHost(), cgroups);
        try {
            for (String d : List.of("state", "exits", "socks", "bundles")) {
                Files.createDirectories(execRoot.resolve(d));
            }
        } catch (IOException e) {
            throw BerthException.internal("cannot create runtime exec root " + execRoot + ": " + e.getMessage(), e);
        }
    }

    /**
     * The host-backed driver: detects host facts, real processes and cgroups. The mounter comes
     * from the caller, because only the composition root may choose the Linux implementation.
     */
    public static ConmonRuntimeDriver forHost(Path runtime, String runtimeName, Path conmon, Path execRoot, Mounter mounter)
            throws IOException {
        ProcFs proc = ProcFs.host();
        HostInfo host = HostInfo.detect(proc, runtimeName);
        return new ConmonRuntimeDriver(runtime, runtimeName, conmon, execRoot, new OciSpecBuilder(host, new SeccompProfiles()),
                mounter, ProcessLauncher.system(), Cgroups.host(), proc, FileSpace.linux());
    }

    @Override
    public String name() {
        return name;
    }

    public OciSpecBuilder specBuilder() {
        return specs;
    }

    private static void checkId(String id) {
        if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
            throw BerthException.invalid("invalid container id %s", id);
        }
    }

    private Path record(String id) {
        return execRoot.resolve("bundles").resolve(id);
    }

    /** The bundle of a known container; NOT_FOUND otherwise. */
    private Path bundleOf(String id) {
        checkId(id);
        try {
            return Path.of(Files.readString(record(id)).trim());
        } catch (IOException e) {
            throw BerthException.notFound("No such container: %s", id);
        }
    }

    private Optional<JsonNode> config(Path bundle) {
        try {
            return Optional.of(Json.mapper().readTree(bundle.resolve("config.json").toFile()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<String> cgroupsPathOf(String id) {
        String known = cgroupPaths.get(id);
        if (known != null) {
            return Optional.of(known);
        }
        try {
            return config(bundleOf(id)).map(c -> c.path("linux").path("cgroupsPath").asString(null));
        } catch (BerthException e) {
            return Optional.empty();
        }
    }

    ConmonCommand conmonCommand(CreateRequest r) {
        String id = r.spec().id();
        return new ConmonCommand(conmon, cli.binary(), cli.root(), id, id, r.bundleDir(), execRoot.resolve("exits"),
                execRoot.resolve("socks"), r.outputSpool(), r.spoolMaxSize(), r.spec().tty(), r.openStdin(), r.stdinOnce());
    }

    @Override
    public Created create(CreateRequest request) {
        RuntimeContainerSpec spec = request.spec();
        String id = spec.id();
        checkId(id);
        // crun create moves the container's init into its new cgroups: the same grace period as an exec's
        // (runc create sets its init's rlimits itself, after its Go start-up: no race to avoid there)
        if (crun) {
            warmup.kick();
        }
        // the runtime keeps its state in <root>/<id>: checking the directory saves a `runtime state` spawn
        if (Files.exists(record(id)) || Files.exists(cli.root().resolve(id))) {
            throw BerthException.conflict("container %s already exists in the runtime", id);
        }
        Path bundle = request.bundleDir();
        boolean mounted = false;
        ConmonCommand cmd = conmonCommand(request);
        try {
            Files.createDirectories(bundle);
            Files.createDirectories(spec.rootfs());
            if (spec.rootfsMounts() != null && !spec.rootfsMounts().isEmpty() && !mounter.isMounted(spec.rootfs())) {
                for (Mount m : spec.rootfsMounts()) {
                    Path target = m.destination() == null || m.destination().equals("/") ? spec.rootfs()
                            : spec.rootfs().resolve(m.destination().substring(1));
                    mounter.mount(m.type(), m.source(), target, m.options());
                    mounted = true;
                }
            }
            ObjectNode config = specs.build(spec);
            Integer bfqWeight = bfq.strip(config.path("linux").path("resources"));
            String cgPath = config.path("linux").path("cgroupsPath").asString(null);
            if (cgPath != null) {
                cgroupPaths.put(id, cgPath);
            }
            Atomic.writeVolatile(bundle.resolve("config.json"), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
            for (Path stale : List.of(cmd.pidFile(), cmd.conmonPidFile(), cmd.runtimeLog(), execRoot.resolve("exits").resolve(id))) {
                Files.deleteIfExists(stale);
            }
            exits.forget(id);
            if (request.outputSpool().getParent() != null) {
                Files.createDirectories(request.outputSpool().getParent());
            }
            Atomic.writeVolatile(record(id), bundle.toString().getBytes(StandardCharsets.UTF_8));
            Process p = launcher.start(cmd.argv(), Map.of(), bundle, new ProcessLauncher.Stdio.Discard());
            int pid = awaitCreated(cmd, p);
            if (bfqWeight != null) {
                bfq.apply(OciSpecBuilder.cgroupsPath(spec), bfqWeight);
            }
            return new Created(pid);
        } catch (IOException | RuntimeException e) {
            String runtimeMsg = RuntimeCli.lastLoggedError(cmd.runtimeLog()).map(ConmonRuntimeDriver::goStyle).orElse(null);
            undoCreate(id, bundle, spec, mounted);
            if (e instanceof BerthException be && runtimeMsg == null) {
                throw be;
            }
            String msg = runtimeMsg != null ? runtimeMsg : e.getMessage();
            ErrorKind kind = runtimeMsg != null && (msg.contains("executable file not found") || msg.contains("no such file or directory")
                    || msg.contains("permission denied") || msg.contains("not a directory")) ? ErrorKind.INVALID_ARGUMENT
                    : e instanceof BerthException be ? be.kind() : ErrorKind.INTERNAL;
            throw new BerthException(kind, "failed to create task for container: OCI runtime create failed: " + msg, e);
        }
    }

    private static final java.util.regex.Pattern CRUN_NOT_FOUND =
            java.util.regex.Pattern.compile("executable file `(.+?)` not found in \\$PATH: No such file or directory");

    /**
     * crun words errors like C (strerror, capitalised) where runc words them like Go; the docker
     * CLI picks its exit code (127 not found, 126 cannot invoke) from runc's wording, so crun's
     * common cases are rewritten into it.
     */
    static String goStyle(String msg) {
        java.util.regex.Matcher m = CRUN_NOT_FOUND.matcher(msg);
        if (m.find()) {
            String exe = m.group(1);
            return exe.contains("/") ? "exec: \"" + exe + "\": stat " + exe + ": no such file or directory"
                    : "exec: \"" + exe + "\": executable file not found in $PATH";
        }
        return msg.replace(": No such file or directory", ": no such file or directory")
                .replace(": Permission denied", ": permission denied")
                .replace(": Not a directory", ": not a directory");
    }

    /** Waits until the runtime wrote the init pid (created) or conmon is gone (failed). */
    private int awaitCreated(ConmonCommand cmd, Process first) throws IOException {
        long deadline = System.currentTimeMillis() + CREATE_TIMEOUT_MILLIS;
        try {
            if (!first.waitFor(CREATE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                first.destroyForcibly();
                throw new IOException("conmon did not detach");
            }
            if (first.exitValue() != 0) {
                throw new IOException("conmon exited with status " + first.exitValue());
            }
            while (System.currentTimeMillis() < deadline) {
                Optional<Integer> pid = readInt(cmd.pidFile());
                if (pid.isPresent() && pid.get() > 0) {
                    return pid.get();
                }
                Optional<Integer> conmonPid = readInt(cmd.conmonPidFile());
                if (conmonPid.isPresent() && !proc.alive(conmonPid.get())) {
                    // conmon may have exited right after the runtime wrote the pidfile
                    pid = readInt(cmd.pidFile());
                    if (pid.isPresent() && pid.get() > 0) {
                        return pid.get();
                    }
                    throw new IOException("conmon exited before the container was created");
                }
                // the runtime needs ~10-40 ms: poll tightly at first (a read of a tiny file costs microseconds)
                Thread.sleep(System.currentTimeMillis() < deadline - CREATE_TIMEOUT_MILLIS + 1_000 ? 1 : 10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating the container");
        }
        throw new IOException("timed out waiting for the runtime to create the container");
    }

    static Optional<Integer> readInt(Path file) {
        try {
            String s = Files.readString(file).trim();
            return s.isEmpty() ? Optional.empty() : Optional.of(Integer.parseInt(s));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void undoCreate(String id, Path bundle, RuntimeContainerSpec spec, boolean mounted) {
        cli.run("delete", "--force", id);
        readInt(bundle.resolve("conmon.pid")).ifPresent(this::killConmon);
        if (mounted) {
            unmountRootfs(spec.rootfs());
        }
        cgroups.remove(OciSpecBuilder.cgroupsPath(spec));
        cleanupFiles(id, bundle);
    }

    private void killConmon(int pid) {
        try {
            // conmon exits right after writing the exit file: usually gone already
            for (int i = 0; i < 1000 && proc.alive(pid); i++) {
                Thread.sleep(2);
            }
            if (proc.alive(pid) && proc.cmdline(pid).stream().findFirst().orElse("").contains("conmon")) {
                dev.berth.sys.unix.Libc.kill(pid, 9);
            }
        } catch (IOException e) {
            // gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void unmountRootfs(Path rootfs) {
        try {
            for (int i = 0; i < 8 && mounter.isMounted(rootfs); i++) {
                mounter.unmount(rootfs, i >= 4);
            }
        } catch (IOException e) {
            throw BerthException.internal("cannot unmount " + rootfs + ": " + e.getMessage(), e);
        }
    }

    private void cleanupFiles(String id, Path bundle) {
        try {
            for (String f : List.of("config.json", "pidfile", "conmon.pid", "runtime.log", "attach", "ctl", "winsz", "update.json")) {
                Files.deleteIfExists(bundle.resolve(f));
            }
            try (Stream<Path> s = Files.list(bundle)) {
                for (Path p : s.filter(p -> p.getFileName().toString().startsWith("exec-")).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(execRoot.resolve("socks").resolve(id));
            Files.deleteIfExists(execRoot.resolve("exits").resolve(id));
            Files.deleteIfExists(record(id));
            exits.forget(id);
            cgroupPaths.remove(id);
        } catch (IOException e) {
            // best effort: leftovers are stale files only
        }
    }

    @Override
    public void start(String id) {
        bundleOf(id);
        cli.checkDirect("start", id, "start", id);
    }

    @Override
    public void kill(String id, int signal, boolean all) {
        bundleOf(id);
        CommandResult r = all ? cli.runDirect("kill", "--all", id, Integer.toString(signal)) : cli.runDirect("kill", id, Integer.toString(signal));
        if (!r.ok()) {
            String msg = RuntimeCli.message(r);
            if (msg.contains("not running") || msg.contains("process already finished") || msg.contains("container not running")) {
                throw BerthException.conflict("Container %s is not running", id);
            }
            throw new BerthException(ErrorKind.INTERNAL, "OCI runtime kill failed: " + msg);
        }
    }

    @Override
    public void pause(String id) {
        bundleOf(id);
        cli.check("pause", id, "pause", id);
    }

    @Override
    public void resume(String id) {
        bundleOf(id);
        cli.check("resume", id, "resume", id);
    }

    @Override
    public void delete(String id) {
        checkId(id);
        if (!Files.exists(record(id))) {
            // already deleted by us (e.g. auto-remove after exit): spawn the runtime only if it still has state
            if (Files.exists(cli.root().resolve(id))) {
                cli.run("delete", "--force", id);
            }
            return;
        }
        Path bundle = bundleOf(id);
        Optional<JsonNode> config = config(bundle);
        String cgroupsPath = config.map(c -> c.path("linux").path("cgroupsPath").asString(null)).orElse(null);
        boolean exited = exits.poll(id).isPresent(); // record the exit (and OOM) before the cgroup goes away
        if (!(exited && deleteStopped(id, bundle, cgroupsPath))) {
            CommandResult r = cli.run("delete", "--force", id);
            if (!r.ok() && !RuntimeCli.message(r).contains("does not exist")) {
                throw new BerthException(ErrorKind.INTERNAL, "OCI runtime delete failed: " + RuntimeCli.message(r));
            }
        }
        readInt(bundle.resolve("conmon.pid")).ifPresent(this::killConmon);
        exits.poll(id);
        config.map(c -> c.path("root").path("path").asString(null)).map(Path::of).ifPresent(this::unmountRootfs);
        if (cgroupsPath != null) {
            List<Path> left = cgroups.remove(cgroupsPath);
            if (!left.isEmpty()) {
                throw BerthException.internal("cgroups of container " + id + " still hold processes: " + left, null);
            }
        }
        cleanupFiles(id, bundle);
    }

    /**
     * Deletes a container whose init has exited without spawning the runtime (a `runtime delete`
     * costs 10-30 ms, on the `docker run --rm` path): for a stopped container without hooks the
     * runtime only removes its cgroups and its state directory, which we can do ourselves. False
     * (caller falls back to the runtime) when anything is still alive or in the way.
     */
    private boolean deleteStopped(String id, Path bundle, String cgroupsPath) {
        int pid = readInt(bundle.resolve("pidfile")).orElse(0);
        if (pid > 0 && proc.alive(pid) && !isZombie(pid)) {
            return false;
        }
        if (cgroupsPath != null && !cgroups.remove(cgroupsPath).isEmpty()) {
            return false;
        }
        Path state = cli.root().resolve(id);
        if (!Files.isDirectory(state, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try (Stream<Path> s = Files.walk(state)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean isZombie(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
        } catch (IOException e) {
            return true; // gone
        }
    }

    @Override
    public CompletableFuture<ExitStatus> awaitExit(String id) {
        bundleOf(id);
        return exits.await(id);
    }

    @Override
    public AttachConnection attach(String id) {
        Path bundle = bundleOf(id);
        Path sock = execRoot.resolve("socks").resolve(id).resolve("attach");
        String path = sock.toString().length() <= 107 ? sock.toString() : bundle.resolve("attach").toString();
        try {
            return new ConmonAttach(SeqpacketSocket.connect(path));
        } catch (IOException e) {
            throw BerthException.conflict("cannot attach to container %s: %s", id, e.getMessage());
        }
    }

    @Override
    public void resize(String id, int height, int width) {
        Path bundle = bundleOf(id);
        Optional<Integer> conmonPid = readInt(bundle.resolve("conmon.pid"));
        if (conmonPid.isEmpty() || !proc.alive(conmonPid.get())) {
            throw BerthException.conflict("Container %s is not running", id);
        }
        // conmon keeps both ends of the ctl fifo open, so opening it for writing does not block
        try (OutputStream out = Files.newOutputStream(bundle.resolve("ctl"), java.nio.file.StandardOpenOption.WRITE)) {
            out.write(("1 " + height + " " + width + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw BerthException.internal("cannot resize container " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ExecProcess exec(String id, ExecSpec spec) {
        Path bundle = bundleOf(id);
        // no `runtime state` spawn on the exec path: the init pid is alive and no exit was recorded
        int pid = readInt(bundle.resolve("pidfile")).orElse(0);
        if (pid <= 0 || !proc.alive(pid) || isZombie(pid) || exits.poll(id).isPresent()) {
            throw BerthException.conflict("Container %s is not running", id);
        }
        return execs.start(id, bundle, spec);
    }

    @Override
    public List<Integer> pids(String id) {
        String path = cgroupsPathOf(id).orElseThrow(() -> BerthException.notFound("No such container: %s", id));
        try {
            return cgroups.pids(path);
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public Map<String, Object> stats(String id) {
        String path = cgroupsPathOf(id).orElseThrow(() -> BerthException.notFound("No such container: %s", id));
        return stats.read(path);
    }

    @Override
    public List<RestoredContainer> restore() {
        List<RestoredContainer> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(execRoot.resolve("bundles"))) {
            for (Path rec : s.sorted().toList()) {
                String id = rec.getFileName().toString();
                if (id.startsWith(".")) {
                    continue;
                }
                Path bundle;
                try {
                    bundle = bundleOf(id);
                } catch (BerthException e) {
                    continue;
                }
                Optional<ExitStatus> exit = exits.poll(id);
                boolean conmonAlive = readInt(bundle.resolve("conmon.pid")).map(proc::alive).orElse(false);
                String status = conmonAlive ? cli.state(id).map(j -> j.path("status").asString("")).orElse("") : "";
                int pid = readInt(bundle.resolve("pidfile")).orElse(0);
                boolean running = exit.isEmpty() && (status.equals("running") || status.equals("paused"));
                out.add(new RestoredContainer(id, running ? pid : 0, running, status.equals("paused"), exit));
            }
        } catch (IOException e) {
            throw BerthException.internal("cannot scan " + execRoot + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void update(String id, RuntimeContainerSpec.Resources resources) {
        Path bundle = bundleOf(id);
        ObjectNode res = Json.mapper().createObjectNode();
        OciResources.apply(res, resources, specs.host());
        Integer bfqWeight = bfq.strip(res);
        Path file = bundle.resolve("update.json");
        try {
            Atomic.writeVolatile(file, Json.mapper().writeValueAsBytes(res));
            cli.check("update", id, "update", "-r", file.toString(), id);
            if (bfqWeight != null) {
                bfq.apply(cgroupsPathOf(id).orElseThrow(() -> BerthException.notFound("No such container: %s", id)), bfqWeight);
            }
        } catch (IOException e) {
            throw BerthException.internal("cannot write resources: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // stale file only
            }
        }
    }

    @Override
    public OutputSpool openOutputSpool(Path outputSpool) {
        return new K8sFileSpool(outputSpool, space);
    }
}
