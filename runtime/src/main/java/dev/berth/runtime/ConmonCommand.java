package dev.berth.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The conmon invocation for one container, as data. conmon runs {@code <runtime> create},
 * double-forks so it outlives the daemon, relays stdio to the k8s-file output spool (which the
 * daemon ships into the container's json-file log) and the attach socket, and writes the exit
 * code to {@code <exitDir>/<id>}. No sync pipe is passed (Java cannot hand extra fds to a child):
 * the driver polls the pidfile instead.
 *
 * @param runtimeRoot the runtime's {@code --root} (our state, separate from other engines')
 */
public record ConmonCommand(
        Path conmon, Path runtime, Path runtimeRoot, String id, String name, Path bundle, Path exitDir, Path socketDir,
        Path outputSpool, long spoolMaxSize, boolean tty, boolean openStdin, boolean stdinOnce) {

    public Path pidFile() {
        return bundle.resolve("pidfile");
    }

    public Path conmonPidFile() {
        return bundle.resolve("conmon.pid");
    }

    public Path runtimeLog() {
        return bundle.resolve("runtime.log");
    }

    public List<String> argv() {
        List<String> a = new ArrayList<>(List.of(
                conmon.toString(), "--api-version", "1",
                "-c", id, "-u", id,
                "-r", runtime.toString(),
                "-b", bundle.toString(),
                "-p", pidFile().toString(),
                "-n", name,
                "--exit-dir", exitDir.toString(),
                "--socket-dir-path", socketDir.toString(),
                "-l", "k8s-file:" + outputSpool));
        a.add("--log-size-max");
        a.add(spoolMaxSize > 0 ? Long.toString(spoolMaxSize) : "-1");
        if (tty) {
            a.add("-t");
        }
        if (openStdin) {
            a.add("-i");
            if (!stdinOnce) {
                // conmon closes the container's stdin when an attached client goes away unless told not to
                a.add("--leave-stdin-open");
            }
        }
        a.addAll(List.of(
                "--conmon-pidfile", conmonPidFile().toString(),
                "--runtime-arg", "--log-format=json",
                "--runtime-arg", "--log=" + runtimeLog(),
                "--runtime-arg", "--root=" + runtimeRoot));
        return a;
    }
}
