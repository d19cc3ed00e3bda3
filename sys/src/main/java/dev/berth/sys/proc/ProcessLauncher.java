package dev.berth.sys.proc;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Spawns host processes. Other modules describe what to run as data (argv) and never touch
 * {@link ProcessBuilder} themselves. Implementations are thread-safe.
 */
public interface ProcessLauncher {
    /**
     * Runs {@code argv} to completion, capturing stdout and stderr (stdin is empty).
     * A process still running after {@code timeout} is killed and reported with exit code -1.
     */
    default CommandResult run(List<String> argv, Duration timeout) throws IOException {
        return run(argv, Map.of(), null, timeout, Integer.MAX_VALUE);
    }

    /**
     * Runs {@code argv} to completion in {@code workDir} (null: ours) with {@code extraEnv} added
     * to our environment; stdin is empty. Of stdout and stderr each, the first {@code maxOutput}
     * bytes are kept and the rest is read and dropped (a chatty command cannot fill memory). A
     * process still running after {@code timeout} (zero or less: at once) is killed together with
     * the processes it started, and reported with exit code -1.
     */
    CommandResult run(List<String> argv, Map<String, String> extraEnv, Path workDir, Duration timeout, int maxOutput)
            throws IOException;

    /**
     * Starts a long-running process. {@code stdio} decides how its stdin/stdout/stderr are
     * connected: pipes to the caller, or a file path (e.g. a pty slave) for all three.
     */
    Process start(List<String> argv, Map<String, String> extraEnv, Path workDir, Stdio stdio) throws IOException;

    /** How a started process' standard streams are connected. */
    sealed interface Stdio {
        /** stdin, stdout and stderr are pipes the caller reads and writes. */
        record Pipes() implements Stdio {}

        /** All three streams are this file (a terminal device), opened by the launcher. */
        record Terminal(Path device) implements Stdio {}

        /** stdin from /dev/null, stdout and stderr discarded. */
        record Discard() implements Stdio {}
    }

    /** The real implementation on {@link ProcessBuilder}. */
    static ProcessLauncher system() {
        return new SystemProcessLauncher();
    }

    /** Helper shared by implementations. */
    static ProcessBuilder builder(List<String> argv, Map<String, String> extraEnv, Path workDir, Stdio stdio) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(extraEnv);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        switch (stdio) {
            case Stdio.Pipes p -> { }
            case Stdio.Terminal t -> {
                File f = t.device().toFile();
                pb.redirectInput(f).redirectOutput(f).redirectError(f);
            }
            case Stdio.Discard d -> pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        return pb;
    }
}
