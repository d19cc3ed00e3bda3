package dev.berth.sys.proc;

import java.util.List;

/** The outcome of a finished command: its argv, exit code and captured output. */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr) {
    public CommandResult {
        argv = List.copyOf(argv);
    }

    public boolean ok() {
        return exitCode == 0;
    }
}
