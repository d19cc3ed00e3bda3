package dev.berth.runtime;

import dev.berth.sys.unix.Libc;
import dev.berth.sys.unix.Pty;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * An exec'd process with a TTY. {@code <runtime> exec} runs in the foreground with a host pty
 * as its stdio; it allocates the container-side pty and proxies between the two, so we get
 * the process' exit code from the runtime's own (a detached exec with {@code --console-socket}
 * would hand us the pty master but lose the exit code: the process is re-parented away from
 * us). Resizing sets our master's size and signals SIGWINCH to the runtime, which copies the
 * size onto the container's pty.
 */
final class TtyExec implements RuntimeDriver.ExecProcess {
    private static final int SIGWINCH = 28;

    private final Process runtime;
    private final Pty pty;
    private final Path pidFile;
    private final Runnable cleanup;
    private final OutputStream stdin;

    TtyExec(Process runtime, Pty pty, Path pidFile, Runnable cleanup) {
        this.runtime = runtime;
        this.pty = pty;
        this.pidFile = pidFile;
        this.cleanup = cleanup;
        this.stdin = pty.output();
    }

    @Override
    public int pid() {
        return PipeExec.readPid(pidFile, runtime);
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public void pump(RuntimeDriver.OutputHandler handler) throws IOException {
        InputStream in = pty.input();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf, 0, buf.length)) > 0) {
            handler.output(false, buf, 0, n);
        }
    }

    @Override
    public void resize(int height, int width) {
        try {
            pty.resize(height, width);
            if (runtime.isAlive()) {
                Libc.kill((int) runtime.pid(), SIGWINCH);
            }
        } catch (IOException e) {
            // the process is gone; a resize has nothing left to do
        }
    }

    @Override
    public int waitFor() throws InterruptedException {
        int code = runtime.waitFor();
        cleanup.run();
        return code;
    }

    @Override
    public void close() {
        pty.close();
    }
}
