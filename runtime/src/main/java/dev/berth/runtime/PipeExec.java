package dev.berth.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An exec'd process without a TTY: {@code <runtime> exec} runs in the foreground with pipes, so
 * its exit code is the process' exit code and its stdout/stderr are the process' own.
 */
final class PipeExec implements RuntimeDriver.ExecProcess {
    private final Process runtime;
    private final Path pidFile;
    private final Runnable cleanup;

    PipeExec(Process runtime, Path pidFile, boolean openStdin, Runnable cleanup) throws IOException {
        this.runtime = runtime;
        this.pidFile = pidFile;
        this.cleanup = cleanup;
        if (!openStdin) {
            runtime.getOutputStream().close();
        }
    }

    @Override
    public int pid() {
        return readPid(pidFile, runtime);
    }

    static int readPid(Path pidFile, Process runtime) {
        // the runtime writes the pid within a few ms: poll tightly first, then back off (~2 s in all)
        for (int i = 0; i < 300; i++) {
            try {
                if (Files.exists(pidFile)) {
                    String s = Files.readString(pidFile).trim();
                    if (!s.isEmpty()) {
                        return Integer.parseInt(s);
                    }
                }
                if (!runtime.isAlive()) {
                    return 0;
                }
                Thread.sleep(i < 100 ? 1 : 10);
            } catch (IOException | NumberFormatException e) {
                // being written
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        return 0;
    }

    @Override
    public OutputStream stdin() {
        return runtime.getOutputStream();
    }

    @Override
    public void pump(RuntimeDriver.OutputHandler handler) throws IOException {
        AtomicReference<IOException> failure = new AtomicReference<>();
        Object lock = new Object();
        Thread err = Thread.ofVirtual().start(() -> copy(runtime.getErrorStream(), true, handler, lock, failure));
        copy(runtime.getInputStream(), false, handler, lock, failure);
        try {
            err.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static void copy(InputStream in, boolean stderr, RuntimeDriver.OutputHandler h, Object lock, AtomicReference<IOException> failure) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (lock) {
                    h.output(stderr, buf, 0, n);
                }
            }
        } catch (IOException e) {
            failure.compareAndSet(null, e);
        }
    }

    @Override
    public void resize(int height, int width) {
        // no terminal: nothing to resize
    }

    @Override
    public int waitFor() throws InterruptedException {
        int code = runtime.waitFor();
        cleanup.run();
        return code;
    }

    @Override
    public void close() {
        try {
            runtime.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
