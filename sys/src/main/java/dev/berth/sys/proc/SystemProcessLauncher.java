package dev.berth.sys.proc;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@link ProcessLauncher} on {@link ProcessBuilder}; output is drained on virtual threads. */
final class SystemProcessLauncher implements ProcessLauncher {
    @Override
    public CommandResult run(List<String> argv, Map<String, String> extraEnv, Path workDir, Duration timeout, int maxOutput)
            throws IOException {
        ProcessBuilder pb = ProcessLauncher.builder(argv, extraEnv, workDir, new Stdio.Pipes())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread to = Thread.ofVirtual().start(() -> drain(p.getInputStream(), out, maxOutput));
        Thread te = Thread.ofVirtual().start(() -> drain(p.getErrorStream(), err, maxOutput));
        int code;
        try {
            if (!p.waitFor(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                kill(p); // its helpers too (e.g. git fetch's git-remote-http), or they would hold the pipes open
                p.waitFor();
                code = -1;
            } else {
                code = p.exitValue();
            }
            to.join();
            te.join();
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while running " + argv.getFirst());
        }
        return new CommandResult(argv, code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** Copies {@code in} to {@code sink} until it ends, keeping at most {@code max} bytes. */
    private static void drain(InputStream in, ByteArrayOutputStream sink, int max) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                int room = max - sink.size();
                if (room > 0) {
                    sink.write(buf, 0, Math.min(n, room));
                }
            }
        } catch (IOException ignored) {
            // process went away
        }
    }

    @Override
    public Process start(List<String> argv, Map<String, String> extraEnv, Path workDir, Stdio stdio) throws IOException {
        return ProcessLauncher.builder(argv, extraEnv, workDir, stdio).start();
    }
}
