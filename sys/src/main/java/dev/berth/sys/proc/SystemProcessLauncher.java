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
    public CommandResult run(List<String> argv, Duration timeout) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread to = Thread.ofVirtual().start(() -> drain(p.getInputStream(), out));
        Thread te = Thread.ofVirtual().start(() -> drain(p.getErrorStream(), err));
        int code;
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                code = -1;
            } else {
                code = p.exitValue();
            }
            to.join();
            te.join();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while running " + argv.getFirst());
        }
        return new CommandResult(argv, code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void drain(InputStream in, ByteArrayOutputStream sink) {
        try (in) {
            in.transferTo(sink);
        } catch (IOException ignored) {
            // process went away
        }
    }

    @Override
    public Process start(List<String> argv, Map<String, String> extraEnv, Path workDir, Stdio stdio) throws IOException {
        return ProcessLauncher.builder(argv, extraEnv, workDir, stdio).start();
    }
}
