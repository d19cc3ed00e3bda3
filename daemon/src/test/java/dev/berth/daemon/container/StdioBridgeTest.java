package dev.berth.daemon.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.backend.OutputSink;
import dev.berth.api.backend.StdStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StdioBridgeTest {
    final ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void tearDown() {
        ex.shutdownNow();
    }

    static final class Sink implements OutputSink {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();

        @Override public synchronized void write(StdStream s, byte[] d, int o, int l) { (s == StdStream.STDERR ? err : out).write(d, o, l); }
        @Override public void flush() { }
        @Override public boolean isClosed() { return false; }
    }

    @Test
    void pumpsByStreamUntilEof() {
        Sink sink = new Sink();
        var bridge = new StdioBridge(sink, false, true, true, null, DetachKeys.DEFAULT, false, ex);
        var end = bridge.run(h -> {
            h.output(false, "o".getBytes(), 0, 1);
            h.output(true, "e".getBytes(), 0, 1);
        }, null, null);
        assertThat(end).isEqualTo(StdioBridge.End.OUTPUT_EOF);
        assertThat(sink.out.toString()).isEqualTo("o");
        assertThat(sink.err.toString()).isEqualTo("e");
    }

    @Test
    void ttyMergesStderrAndFiltersStreams() {
        Sink sink = new Sink();
        new StdioBridge(sink, true, true, false, null, DetachKeys.DEFAULT, false, ex)
                .run(h -> h.output(true, "x".getBytes(), 0, 1), null, null);
        assertThat(sink.out.toString()).isEqualTo("x");
        Sink only = new Sink();
        new StdioBridge(only, false, true, false, null, DetachKeys.DEFAULT, false, ex)
                .run(h -> h.output(true, "x".getBytes(), 0, 1), null, null);
        assertThat(only.out.size() + only.err.size()).isZero();
    }

    @Test
    void detachKeysEndTheSessionAndStdinIsForwarded() {
        Sink sink = new Sink();
        ByteArrayOutputStream stdin = new ByteArrayOutputStream();
        CompletableFuture<Void> never = new CompletableFuture<>();
        var bridge = new StdioBridge(sink, true, true, true, new ByteArrayInputStream(new byte[] {'l', 's', '\r', 16, 17, 'z'}),
                DetachKeys.DEFAULT, true, ex);
        var end = bridge.run(h -> never.join(), stdin, null);
        assertThat(end).isEqualTo(StdioBridge.End.DETACHED);
        assertThat(stdin.toString()).isEqualTo("ls\r");
    }

    @Test
    void stdinEofClosesProcessStdinWhenStdinOnce() throws Exception {
        Sink sink = new Sink();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        OutputStream stdin = new OutputStream() {
            @Override public void write(int b) { }
            @Override public void close() { closed.complete(null); }
        };
        var bridge = new StdioBridge(sink, false, true, true, new ByteArrayInputStream("data".getBytes()), DetachKeys.DEFAULT, true, ex);
        var end = bridge.run(h -> closed.join(), stdin, null);
        assertThat(end).isEqualTo(StdioBridge.End.OUTPUT_EOF);
        assertThat(closed).isDone();
    }
}
