package dev.berth.runtime;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import dev.berth.sys.proc.ProcessLauncher;
import dev.berth.sys.unix.Pty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Starts processes in a running container with {@code <runtime> exec --process <file>} run from
 * the daemon in the foreground: with pipes (no TTY) or with a host pty (TTY). The process spec
 * is the container's own {@code process} (capabilities, rlimits, noNewPrivileges) with the
 * exec's args, env, cwd, user and terminal; privileged execs get every host capability.
 */
final class ExecLauncher {
    private final RuntimeCli cli;
    private final ProcessLauncher launcher;
    private final List<String> hostCaps;
    private final boolean ttyNeedsSession;
    private final Runnable beforeRuntime;

    /**
     * @param ttyNeedsSession run TTY execs under {@code setsid --ctty}: crun, unlike runc, relays
     *     the container's terminal through its error log (colored, time-stamped) unless the pty
     *     it is given is its controlling terminal
     * @param beforeRuntime run first thing on each exec, before the runtime is spawned (see
     *     {@link CgroupAttachWarmup#kick} and {@link CgroupAttachWarmup#closeAndLapse})
     */
    ExecLauncher(RuntimeCli cli, ProcessLauncher launcher, List<String> hostCaps, boolean ttyNeedsSession, Runnable beforeRuntime) {
        this.cli = cli;
        this.launcher = launcher;
        this.hostCaps = hostCaps;
        this.ttyNeedsSession = ttyNeedsSession && Files.isExecutable(SETSID);
        this.beforeRuntime = beforeRuntime;
    }

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    /** The exec's process spec, derived from the bundle's config.json; exposed for tests. */
    ObjectNode processSpec(JsonNode config, RuntimeDriver.ExecSpec spec) {
        ObjectNode proc = config.path("process").isObject()
                ? (ObjectNode) config.get("process").deepCopy() : Json.mapper().createObjectNode();
        proc.put("terminal", spec.tty());
        if (spec.args() == null || spec.args().isEmpty()) {
            throw BerthException.invalid("No exec command specified");
        }
        ArrayNode args = proc.putArray("args");
        spec.args().forEach(args::add);
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : config.path("process").path("env")) {
            put(env, e.asString());
        }
        if (spec.env() != null) {
            spec.env().forEach(e -> put(env, e));
        }
        if (spec.tty() && !env.containsKey("TERM")) {
            env.put("TERM", "TERM=xterm");
        }
        ArrayNode envNode = proc.putArray("env");
        env.values().forEach(envNode::add);
        if (spec.cwd() != null && !spec.cwd().isEmpty()) {
            proc.put("cwd", spec.cwd());
        }
        if (spec.user() != null && !spec.user().isEmpty()) {
            Path rootfs = Path.of(config.path("root").path("path").asString("/"));
            proc.set("user", OciSpecBuilder.user(UserResolver.resolve(rootfs, spec.user(), List.of())));
        }
        if (spec.privileged()) {
            ObjectNode caps = proc.putObject("capabilities");
            for (String set : List.of("bounding", "effective", "permitted")) {
                ArrayNode a = caps.putArray(set);
                hostCaps.forEach(a::add);
            }
            caps.putArray("inheritable");
            caps.putArray("ambient");
        }
        proc.remove("consoleSize");
        if (spec.tty() && spec.height() > 0 && spec.width() > 0) {
            // applied by the runtime when it creates the pty, before the process runs (a later
            // SIGWINCH-driven resize would race with commands that read the size at once)
            proc.putObject("consoleSize").put("height", spec.height()).put("width", spec.width());
        }
        return proc;
    }

    private static void put(Map<String, String> env, String e) {
        int eq = e.indexOf('=');
        env.put(eq < 0 ? e : e.substring(0, eq), e);
    }

    RuntimeDriver.ExecProcess start(String id, Path bundle, RuntimeDriver.ExecSpec spec) {
        // the runtime's cgroup.procs write comes ~5-10 ms from now
        beforeRuntime.run();
        JsonNode config;
        try {
            config = Json.mapper().readTree(bundle.resolve("config.json").toFile());
        } catch (RuntimeException e) {
            throw BerthException.notFound("No such container: %s", id);
        }
        String execId = spec.execId() == null || spec.execId().isEmpty() ? Long.toHexString(System.nanoTime()) : spec.execId();
        if (!execId.matches("[A-Za-z0-9_.-]+")) {
            throw BerthException.invalid("invalid exec id %s", execId);
        }
        Path procFile = bundle.resolve("exec-" + execId + ".json");
        Path pidFile = bundle.resolve("exec-" + execId + ".pid");
        try {
            Files.deleteIfExists(pidFile);
            Atomic.writeVolatile(procFile, Json.mapper().writeValueAsBytes(processSpec(config, spec)));
        } catch (IOException e) {
            throw BerthException.internal("cannot write exec process spec: " + e.getMessage(), e);
        }
        Runnable cleanup = () -> {
            try {
                Files.deleteIfExists(procFile);
                Files.deleteIfExists(pidFile);
            } catch (IOException ignored) {
                // best effort
            }
        };
        List<String> argv = new ArrayList<>(cli.directArgv("exec", "--process", procFile.toString(), "--pid-file", pidFile.toString(), id));
        try {
            if (spec.tty()) {
                Pty pty = Pty.open(spec.height(), spec.width());
                if (ttyNeedsSession) {
                    // not a process-group leader, so setsid execs in place: the pid stays the runtime's (SIGWINCH)
                    argv.addAll(0, List.of(SETSID.toString(), "--ctty"));
                }
                try {
                    Process p = launcher.start(argv, Map.of(), bundle, new ProcessLauncher.Stdio.Terminal(Path.of(pty.slavePath())));
                    pty.closeSlave();
                    return new TtyExec(p, pty, pidFile, cleanup);
                } catch (IOException | RuntimeException e) {
                    pty.close();
                    throw e;
                }
            }
            Process p = launcher.start(argv, Map.of(), bundle, new ProcessLauncher.Stdio.Pipes());
            return new PipeExec(p, pidFile, spec.openStdin(), cleanup);
        } catch (IOException e) {
            cleanup.run();
            throw BerthException.internal("OCI runtime exec failed: " + e.getMessage(), e);
        }
    }
}
