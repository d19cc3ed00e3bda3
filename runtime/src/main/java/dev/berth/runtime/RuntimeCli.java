package dev.berth.runtime;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Json;
import dev.berth.sys.proc.CommandResult;
import dev.berth.sys.proc.ProcessLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The OCI runtime's command line ({@code runc}/{@code crun} share it), always with our own
 * {@code --root}. Thread-safe.
 */
public final class RuntimeCli {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path binary;
    private final Path direct;
    private final Path root;
    private final ProcessLauncher launcher;

    public RuntimeCli(Path binary, Path root, ProcessLauncher launcher) {
        this(binary, binary, root, launcher);
    }

    /**
     * @param binary the runtime as conmon and cgroup-changing commands call it (may be a wrapper,
     *     see {@link CrunHybridCgroups})
     * @param direct the runtime binary itself, for commands that do not touch cgroups
     *     (exec, start, kill, state): one process spawn less on hot paths
     */
    public RuntimeCli(Path binary, Path direct, Path root, ProcessLauncher launcher) {
        this.binary = binary;
        this.direct = direct;
        this.root = root;
        this.launcher = launcher;
    }

    public Path binary() {
        return binary;
    }

    public Path root() {
        return root;
    }

    /** {@code <runtime> --root R <args…>} as argv. */
    public List<String> argv(String... args) {
        List<String> a = new ArrayList<>(List.of(binary.toString(), "--root", root.toString()));
        a.addAll(List.of(args));
        return a;
    }

    /** {@code <runtime binary> --root R <args…>}, bypassing any wrapper: only for commands that leave cgroups alone. */
    public List<String> directArgv(String... args) {
        List<String> a = new ArrayList<>(List.of(direct.toString(), "--root", root.toString()));
        a.addAll(List.of(args));
        return a;
    }

    public CommandResult run(String... args) {
        return exec(argv(args));
    }

    /** Like {@link #run} but without the wrapper (see {@link #directArgv}). */
    public CommandResult runDirect(String... args) {
        return exec(directArgv(args));
    }

    private CommandResult exec(List<String> argv) {
        try {
            return launcher.run(argv, TIMEOUT);
        } catch (IOException e) {
            throw BerthException.unavailable("cannot run %s: %s", binary, e.getMessage());
        }
    }

    /** Runs and throws with the runtime's own message on failure; "does not exist" becomes NOT_FOUND. */
    public void check(String what, String id, String... args) {
        checkResult(what, id, run(args));
    }

    /** {@link #check} without the wrapper (see {@link #directArgv}). */
    public void checkDirect(String what, String id, String... args) {
        checkResult(what, id, runDirect(args));
    }

    private static void checkResult(String what, String id, CommandResult r) {
        if (!r.ok()) {
            String msg = message(r);
            if (msg.contains("does not exist") || msg.contains("not found") && msg.contains("container")) {
                throw BerthException.notFound("No such container: %s", id);
            }
            throw new BerthException(ErrorKind.INTERNAL, "OCI runtime " + what + " failed: " + msg);
        }
    }

    /** The runtime's state JSON ({@code status}: created, running, paused, stopped), if the container exists. */
    public Optional<JsonNode> state(String id) {
        CommandResult r = runDirect("state", id);
        if (!r.ok()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readTree(r.stdout()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    static String message(CommandResult r) {
        String err = r.stderr().isBlank() ? r.stdout() : r.stderr();
        // runc --log-format=json is not used for these direct calls; stderr is plain text
        String last = err.strip();
        int nl = last.lastIndexOf('\n');
        last = nl >= 0 ? last.substring(nl + 1) : last;
        return last.isEmpty() ? "exit status " + r.exitCode() : last;
    }

    /** The last error message of a runtime JSON log ({@code {"level":"error","msg":…}} lines), if any. */
    public static Optional<String> lastLoggedError(Path logFile) {
        if (!Files.exists(logFile)) {
            return Optional.empty();
        }
        String found = null;
        try {
            for (String line : Files.readAllLines(logFile)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode n = Json.mapper().readTree(line);
                    if (n.path("level").asString("").equals("error") || n.path("level").asString("").equals("fatal")) {
                        found = n.path("msg").asString(line);
                    }
                } catch (RuntimeException e) {
                    found = line.strip(); // crun writes plain text lines on some paths
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(found);
    }
}
