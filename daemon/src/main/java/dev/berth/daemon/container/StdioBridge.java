package dev.berth.daemon.container;

import dev.berth.api.backend.OutputSink;
import dev.berth.api.backend.StdStream;
import dev.berth.runtime.RuntimeDriver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Connects a client's hijacked streams to a process's stdio (attach and exec): output is pumped
 * to the sink by stream, client input is copied to the process with detach-key detection, and
 * on client EOF the process's stdin is closed when {@code closeStdinOnEof} (StdinOnce). One use
 * per instance.
 */
final class StdioBridge {
    /** How a session ended. */
    enum End { OUTPUT_EOF, DETACHED, CLIENT_GONE, EXITED }

    /** Something whose output can be pumped (an attach connection or an exec process). */
    @FunctionalInterface
    interface Pumpable {
        void pump(RuntimeDriver.OutputHandler h) throws IOException;
    }

    private final OutputSink sink;
    private final boolean tty;
    private final boolean stdout;
    private final boolean stderr;
    private final InputStream clientStdin;
    private final byte[] detachKeys;
    private final boolean closeStdinOnEof;
    private final ExecutorService executor;

    StdioBridge(OutputSink sink, boolean tty, boolean stdout, boolean stderr, InputStream clientStdin, byte[] detachKeys,
                boolean closeStdinOnEof, ExecutorService executor) {
        this.sink = sink;
        this.tty = tty;
        this.stdout = stdout;
        this.stderr = stderr;
        this.clientStdin = clientStdin;
        this.detachKeys = detachKeys;
        this.closeStdinOnEof = closeStdinOnEof;
        this.executor = executor;
    }

    /**
     * Blocks until output reaches EOF, the client detaches or goes away, or {@code exited}
     * completes (then output gets a short grace period to drain).
     */
    End run(Pumpable pumpable, OutputStream processStdin, CompletableFuture<?> exited) {
        CompletableFuture<End> end = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                pumpable.pump((isErr, data, off, len) -> {
                    boolean err = isErr && !tty;
                    if ((err && !stderr) || (!err && !stdout)) {
                        return;
                    }
                    synchronized (sink) {
                        sink.write(err ? StdStream.STDERR : StdStream.STDOUT, data, off, len);
                        sink.flush();
                    }
                });
                end.complete(End.OUTPUT_EOF);
            } catch (IOException ex) {
                end.complete(sink.isClosed() ? End.CLIENT_GONE : End.OUTPUT_EOF);
            } catch (RuntimeException ex) {
                end.complete(End.OUTPUT_EOF);
            }
        });
        if (clientStdin != null && processStdin != null) {
            executor.execute(() -> copyStdin(processStdin, end));
        }
        if (exited != null) {
            exited.whenComplete((v, t) -> CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS, executor)
                    .execute(() -> end.complete(End.EXITED)));
        }
        while (true) {
            try {
                return end.get(1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException ex) {
                if (sink.isClosed()) {
                    return End.CLIENT_GONE;
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return End.CLIENT_GONE;
            } catch (java.util.concurrent.ExecutionException ex) {
                return End.OUTPUT_EOF;
            }
        }
    }

    private void copyStdin(OutputStream processStdin, CompletableFuture<End> end) {
        DetachKeys.Matcher matcher = new DetachKeys.Matcher(detachKeys);
        byte[] buf = new byte[32 * 1024];
        ByteArrayOutputStream fwd = new ByteArrayOutputStream();
        try {
            while (!end.isDone()) {
                int n = clientStdin.read(buf);
                if (n < 0) {
                    break;
                }
                fwd.reset();
                boolean detach = matcher.feed(buf, n, fwd);
                if (fwd.size() > 0) {
                    processStdin.write(fwd.toByteArray());
                    processStdin.flush();
                }
                if (detach) {
                    end.complete(End.DETACHED);
                    return;
                }
            }
            if (closeStdinOnEof) {
                processStdin.close();
            }
        } catch (IOException ex) {
            // the process closed its stdin or the client went away; output decides the end
        }
    }
}
