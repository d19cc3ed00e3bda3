package dev.berth.daemon.container;

import dev.berth.runtime.RuntimeDriver;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * dockerd reports a failed {@code docker exec} of a missing command with exit code 127 and of a
 * non-executable one with 126 (translateContainerdStartErr). The runtime's foreground exec instead
 * prints its error into the exec's own output and exits 255. This wrapper remembers the start of
 * the output and, when the exec ends with 255 and that output is the runtime's exec failure
 * (runc: "exec: …: executable file not found…", crun: "executable file `x` not found in $PATH" /
 * "open executable: Permission denied"), reports dockerd's code. One per exec; the pump and
 * waitFor may run on different threads.
 */
final class ExecExitCodes implements RuntimeDriver.ExecProcess {
    private static final int SNIFF = 512;
    private final RuntimeDriver.ExecProcess delegate;
    private final StringBuilder head = new StringBuilder();

    ExecExitCodes(RuntimeDriver.ExecProcess delegate) {
        this.delegate = delegate;
    }

    @Override
    public int pid() {
        return delegate.pid();
    }

    @Override
    public OutputStream stdin() {
        return delegate.stdin();
    }

    @Override
    public void pump(RuntimeDriver.OutputHandler handler) throws IOException {
        delegate.pump((err, data, off, len) -> {
            synchronized (head) {
                if (head.length() < SNIFF) {
                    head.append(new String(data, off, Math.min(len, SNIFF - head.length()), StandardCharsets.UTF_8));
                }
            }
            handler.output(err, data, off, len);
        });
    }

    @Override
    public void resize(int height, int width) {
        delegate.resize(height, width);
    }

    @Override
    public int waitFor() throws InterruptedException {
        int code = delegate.waitFor();
        String h;
        synchronized (head) {
            h = head.toString();
        }
        return code == 255 ? mapped(h, code) : code;
    }

    static int mapped(String output, int code) {
        // with a TTY crun writes its error as a coloured, timestamped log line, hence contains()
        boolean runtimeError = output.contains("executable file `") || output.contains("open executable:")
                || output.contains("unable to start container process: exec:") || output.contains("exec failed:");
        if (!runtimeError) {
            return code;
        }
        String o = output.toLowerCase(java.util.Locale.ROOT);
        if (o.contains("executable file not found") || o.contains("not found in $path") || o.contains("no such file or directory")) {
            return 127;
        }
        if (o.contains("permission denied") || o.contains("is a directory")) {
            return 126;
        }
        return code;
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
