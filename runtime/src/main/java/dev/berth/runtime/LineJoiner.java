package dev.berth.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Joins the pieces of a line that conmon cut (one k8s-file record per {@code read()} of the
 * container's pipe: a busy pipe is read in 8 KiB bites, so a short line can straddle two records)
 * back into one entry, as dockerd's log copier sees the stream: it reads until a newline, up to its
 * 16 KiB buffer, and only a longer line becomes several partial messages. Without this, whether a
 * line is logged whole depended on the pipe's timing.
 *
 * <p>Pieces are held per stream (stdout and stderr interleave) with the spool offset of their first
 * record, so that the spool never punches out, nor a reader after a daemon restart skips, a piece
 * whose line has not been delivered yet. An entry made of pieces carries the time of its last one:
 * entries then come out in the spool's time order, which the log's resume point relies on.
 *
 * <p>Not thread-safe: owned by one {@link K8sFileSpool}.
 */
final class LineJoiner {
    /** dockerd's copier buffer: a line longer than this is logged in partial pieces. */
    static final int MAX_LINE = 16 * 1024;

    private final Held stdout = new Held(false);
    private final Held stderr = new Held(true);

    /** Takes one record that starts at spool offset {@code offset}; passes on what is complete. */
    void accept(RuntimeDriver.LogEntry e, long offset, RuntimeDriver.LogConsumer consumer) throws IOException {
        Held h = e.stderr() ? stderr : stdout;
        boolean whole = e.data().length > 0 && e.data()[e.data().length - 1] == '\n';
        if (h.isEmpty() && whole) {
            consumer.accept(e);
            return;
        }
        if (!h.isEmpty() && h.size() + e.data().length > MAX_LINE) {
            consumer.accept(h.take()); // a piece of a long line
        }
        h.add(e, offset);
        if (whole || h.size() >= MAX_LINE) {
            consumer.accept(h.take());
        }
    }

    /** The output has ended: passes on the held pieces as they are (lines without their newline). */
    void flush(RuntimeDriver.LogConsumer consumer) throws IOException {
        for (Held h : new Held[] {stdout, stderr}) {
            if (!h.isEmpty()) {
                consumer.accept(h.take());
            }
        }
    }

    /** The smallest spool offset a held piece starts at, or {@code Long.MAX_VALUE}. */
    long oldestHeldOffset() {
        return Math.min(stdout.offset(), stderr.offset());
    }

    /** The spool file changed (rotated, truncated): held pieces keep their data but no longer pin an offset. */
    void forgetOffsets() {
        stdout.unpin();
        stderr.unpin();
    }

    private static final class Held {
        private final boolean stderr;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();
        private boolean held;
        private long time;
        private long offset = Long.MAX_VALUE;

        Held(boolean stderr) {
            this.stderr = stderr;
        }

        boolean isEmpty() {
            return !held;
        }

        int size() {
            return data.size();
        }

        long offset() {
            return offset;
        }

        void unpin() {
            offset = Long.MAX_VALUE; // its records are in a file the spool no longer reads
        }

        void add(RuntimeDriver.LogEntry e, long at) {
            if (!held) {
                held = true;
                offset = at < 0 ? Long.MAX_VALUE : at;
            }
            data.writeBytes(e.data());
            time = e.timeNanos();
        }

        RuntimeDriver.LogEntry take() {
            RuntimeDriver.LogEntry e = new RuntimeDriver.LogEntry(time, stderr, data.toByteArray());
            data.reset();
            held = false;
            offset = Long.MAX_VALUE;
            return e;
        }
    }
}
