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
    private static final java.util.regex.Pattern CRUN_FAILURE = java.util.regex.Pattern.compile(
            "(?s)^(?:\\e\\[[0-9;]*m)*(?:\\S+Z: )?(?:\\e\\[[0-9;]*m)*(?:\\S+Z: )?"
            + "(executable file `[^`]*` not found in \\$PATH: No such file or directory|open executable: Permission denied).*");
    private final RuntimeDriver.ExecProcess delegate;
    private final String path;
    private final StringBuilder head = new StringBuilder();

    ExecExitCodes(RuntimeDriver.ExecProcess delegate, String path) {
        this.delegate = delegate;
        this.path = path;
    }

    /**
     * crun's exec failure text (possibly a coloured, timestamped log line on a TTY) as dockerd
     * shows it: "OCI runtime exec failed: exec failed: unable to start container process: exec: …".
     * Anything else is returned unchanged.
     */
    static String dockerText(String first, String path) {
        java.util.regex.Matcher m = CRUN_FAILURE.matcher(first);
        if (path == null || !m.matches()) {
            return first;
        }
        String why = m.group(1).startsWith("open executable") ? "permission denied"
                : path.contains("/") ? "stat " + path + ": no such file or directory" : "executable file not found in $PATH";
        return "OCI runtime exec failed: exec failed: unable to start container process: exec: \"" + path + "\": " + why + ": unknown\r\n";
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
            boolean first;
            synchronized (head) {
                first = head.isEmpty();
                if (head.length() < SNIFF) {
                    head.append(new String(data, off, Math.min(len, SNIFF - head.length()), StandardCharsets.UTF_8));
                }
            }
            if (first) {
                String text = new String(data, off, len, StandardCharsets.UTF_8);
                String fixed = dockerText(text, path);
                if (!fixed.equals(text)) {
                    byte[] b = fixed.getBytes(StandardCharsets.UTF_8);
                    handler.output(err, b, 0, b.length);
                    return;
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
