package dev.berth.daemon.container;

import dev.berth.api.model.ContainerTop;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.sys.proc.CommandResult;
import dev.berth.sys.proc.ProcessLauncher;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code docker top C <ps args>} as dockerd does it (daemon/top_unix.go): runs the host's
 * {@code ps} with the given arguments plus {@code -q <pids>} (retried without when ps refuses
 * the combination), then keeps the rows whose PID column belongs to the container. The default
 * ({@code -ef} or no arguments) is answered by {@link ProcTop} without spawning ps. Thread-safe.
 */
final class PsTop {
    private final ProcessLauncher launcher;
    private final ProcTop fast;

    PsTop(ProcessLauncher launcher, ProcTop fast) {
        this.launcher = launcher;
        this.fast = fast;
    }

    ContainerTop top(String psArgs, List<Integer> pids) {
        String a = psArgs == null ? "" : psArgs.trim();
        if (a.isEmpty() || a.equals("-ef")) {
            return fast.top(pids);
        }
        List<String> args = Arrays.asList(a.split(" "));
        String pidList = pids.stream().map(String::valueOf).collect(Collectors.joining(","));
        CommandResult r = run(args, pids.isEmpty() ? List.of() : List.of("-q", pidList));
        if (r.exitCode() != 0) {
            // some ps options (such as f) can't be combined with q
            r = run(args, List.of());
            if (r.exitCode() != 0) {
                String first = r.stderr().lines().findFirst().orElse("exit status " + r.exitCode());
                throw new BerthException(ErrorKind.INTERNAL, "ps: " + first);
            }
        }
        return parse(r.stdout(), new HashSet<>(pids));
    }

    private CommandResult run(List<String> args, List<String> extra) {
        List<String> argv = new ArrayList<>();
        argv.add("ps");
        argv.addAll(args);
        argv.addAll(extra);
        try {
            return launcher.run(argv, Duration.ofSeconds(30));
        } catch (IOException e) {
            throw new BerthException(ErrorKind.INTERNAL, "ps: " + e.getMessage(), e);
        }
    }

    /** moby parsePSOutput: titles from the first line; rows filtered by the PID column; extra fields join the last column. */
    static ContainerTop parse(String output, Set<Integer> pids) {
        String[] lines = output.split("\n");
        List<String> titles = fields(lines.length == 0 ? "" : lines[0]);
        int pidIndex = titles.indexOf("PID");
        if (pidIndex < 0) {
            throw new BerthException(ErrorKind.INTERNAL, "Couldn't find PID field in ps output");
        }
        List<List<String>> rows = new ArrayList<>();
        boolean previousContained = false;
        for (int i = 1; i < lines.length; i++) {
            List<String> f = fields(lines[i]);
            if (f.isEmpty()) {
                continue;
            }
            if (f.size() <= pidIndex) {
                continue;
            }
            String p = f.get(pidIndex);
            if (p.equals("-")) {
                // thread lines (ps m) follow their process
                if (previousContained) {
                    rows.add(fit(f, titles.size()));
                }
                continue;
            }
            int pid;
            try {
                pid = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new BerthException(ErrorKind.INTERNAL, "Unexpected pid '" + p + "': strconv.Atoi: parsing \"" + p + "\": invalid syntax");
            }
            previousContained = pids.contains(pid);
            if (previousContained) {
                rows.add(fit(f, titles.size()));
            }
        }
        return new ContainerTop(titles, rows);
    }

    private static List<String> fit(List<String> f, int n) {
        if (f.size() <= n) {
            return f;
        }
        List<String> out = new ArrayList<>(f.subList(0, n - 1));
        out.add(String.join(" ", f.subList(n - 1, f.size())));
        return out;
    }

    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        for (String s : line.trim().split("[ \\t]+")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
