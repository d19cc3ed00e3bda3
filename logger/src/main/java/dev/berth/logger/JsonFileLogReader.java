package dev.berth.logger;

import dev.berth.common.PinnedFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Reads a json-file log for {@code docker logs}: the rotated files oldest first, then the current
 * one; with follow, keeps reading the current file as it grows and across rotations (the old file
 * is read to its end before the new one is opened) until {@code stop} says so and nothing is left
 * to read. Malformed lines (a torn write) are skipped. Stateless; one call per request, safe to
 * run concurrently with the writer and other readers.
 */
public final class JsonFileLogReader {
    private static final long POLL_MILLIS = 50;

    private JsonFileLogReader() {}

    /** Receives messages in log order; may throw to end the read (e.g. the client went away). */
    @FunctionalInterface
    public interface Consumer {
        void accept(LogMessage message) throws IOException;
    }

    /** Number of messages in the log now. */
    public static long count(Path current) throws IOException {
        long[] n = {0};
        read(current, -1, false, () -> true, m -> n[0]++);
        return n[0];
    }

    /** The whole log (see {@link #read(Path, long, boolean, BooleanSupplier, Consumer)}). */
    public static void read(Path current, boolean follow, BooleanSupplier stop, Consumer consumer) throws IOException {
        read(current, -1, follow, stop, consumer);
    }

    /**
     * @param tail the number of newest lines to start with (found by reading the files backwards, so
     *             {@code --tail 10} of a large log costs ten lines, not the log); negative for all
     * @param stop polled while following and nothing new arrived; once it returns true the log is
     *             read to its end one last time and the call returns. Ignored without follow.
     */
    public static void read(Path current, long tail, boolean follow, BooleanSupplier stop, Consumer consumer) throws IOException {
        LineSplitter lines = new LineSplitter(consumer);
        // the current file is pinned first: a rotation from now on cannot take its lines away
        Followed f = Followed.open(current);
        List<Path> rotated = new java.util.ArrayList<>(LogFiles.oldestFirst(current));
        rotated.remove(current);
        if (f != null && !rotated.isEmpty() && rotated.getLast().equals(current)) {
            rotated.removeLast();
        }
        long[] need = {tail};
        if (tail >= 0 && f != null) {
            f.pos = startOfLastLines(f.channel::read, LogLines.completeEnd(f.channel::read, f.channel.size()), need);
        }
        int first = 0;
        long firstOffset = 0;
        if (tail >= 0) {
            first = rotated.size();
            for (int i = rotated.size() - 1; i >= 0 && need[0] > 0; i--) {
                byte[] content = readAll(rotated.get(i));
                firstOffset = startOfLastLines((b, at) -> readFrom(content, b, at), content.length, need);
                first = i;
            }
        }
        for (int i = first; i < rotated.size(); i++) {
            try (InputStream in = LogReaders.open(rotated.get(i))) {
                if (i == first) {
                    in.skipNBytes(firstOffset);
                }
                byte[] buf = new byte[65536];
                int n;
                while ((n = in.read(buf)) > 0) {
                    lines.feed(buf, n);
                }
            } catch (NoSuchFileException rotatedAway) {
                // deleted by a rotation since it was listed: its messages are gone
            } catch (java.io.EOFException shorter) {
                // replaced since it was measured: nothing sensible to read there
            }
            lines.endOfFile();
        }
        if (f == null && !follow) {
            return;
        }
        try {
            while (true) {
                boolean progressed = f != null && f.drain(lines);
                if (!follow) {
                    return;
                }
                Followed next = f == null ? Followed.open(current) : f.successor(current, lines);
                if (next != f) {
                    f = next;
                    continue;
                }
                if (!progressed) {
                    if (stop.getAsBoolean()) {
                        if (f != null) {
                            f.drain(lines);
                            Followed last = f.successor(current, lines);
                            if (last != f && last != null) {
                                last.drain(lines);
                                last.close();
                            }
                        }
                        return;
                    }
                    sleep();
                }
            }
        } finally {
            if (f != null) {
                f.close();
            }
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while following the log");
        }
    }

    private static int readFrom(byte[] content, ByteBuffer into, long at) {
        int n = (int) Math.min(into.remaining(), content.length - at);
        if (n <= 0) {
            return -1;
        }
        into.put(content, (int) at, n);
        return n;
    }

    private static byte[] readAll(Path p) throws IOException {
        try (InputStream in = LogReaders.open(p)) {
            return in.readAllBytes();
        } catch (NoSuchFileException rotatedAway) {
            return new byte[0];
        }
    }

    /**
     * Where the last {@code need[0]} lines before {@code end} (a line boundary) start, scanning
     * backwards; {@code need[0]} is reduced by the lines found (it stays above 0 when the source has
     * fewer, and the result is then 0).
     */
    private static long startOfLastLines(LogLines.ReadAt src, long end, long[] need) throws IOException {
        if (need[0] <= 0) {
            return end;
        }
        ByteBuffer b = ByteBuffer.allocate(65536);
        // the newline ending the last line is not a line start: skip it
        long scanEnd = end - 1;
        while (scanEnd > 0) {
            int n = (int) Math.min(b.capacity(), scanEnd);
            b.clear().limit(n);
            src.read(b, scanEnd - n);
            for (int i = n - 1; i >= 0; i--) {
                if (b.get(i) == '\n') {
                    need[0]--;
                    if (need[0] == 0) {
                        return scanEnd - n + i + 1;
                    }
                }
            }
            scanEnd -= n;
        }
        if (end > 0) {
            need[0]--; // the first line of the source
        }
        return 0;
    }

    /** The current file, held open so a rotation cannot take unread messages away. */
    private static final class Followed {
        private final FileChannel channel;
        private final Object fileKey;
        private long pos;
        private final ByteBuffer buf = ByteBuffer.allocate(65536);

        private Followed(FileChannel channel, Object fileKey) {
            this.channel = channel;
            this.fileKey = fileKey;
        }

        static Followed open(Path p) throws IOException {
            return PinnedFile.open(p).map(f -> new Followed(f.channel(), f.fileKey())).orElse(null);
        }

        private static Object key(Path p) throws IOException {
            return PinnedFile.keyOf(p);
        }

        boolean drain(LineSplitter lines) throws IOException {
            if (channel.size() < pos) {
                pos = 0; // truncated in place (max-file=1)
                lines.endOfFile();
            }
            boolean progressed = false;
            int n;
            while ((n = channel.read(buf.clear(), pos)) > 0) {
                pos += n;
                lines.feed(buf.array(), n);
                progressed = true;
            }
            return progressed;
        }

        /** This file, or — once the path names another file — the new one after this was read to its end. */
        Followed successor(Path p, LineSplitter lines) throws IOException {
            Object now = key(p);
            if (now == null || now.equals(fileKey)) {
                return this;
            }
            drain(lines);
            lines.endOfFile();
            close();
            Followed next = open(p);
            return next == null ? this : next;
        }

        void close() throws IOException {
            channel.close();
        }
    }

    /** Cuts bytes into lines and decodes them; a line still being written stays pending. */
    private static final class LineSplitter {
        private final Consumer consumer;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        LineSplitter(Consumer consumer) {
            this.consumer = consumer;
        }

        void feed(byte[] b, int n) throws IOException {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (b[i] != '\n') {
                    continue;
                }
                LogMessage m;
                if (partial.size() > 0) {
                    partial.write(b, start, i - start);
                    byte[] line = partial.toByteArray();
                    partial.reset();
                    m = JsonLogLine.decode(line, 0, line.length);
                } else {
                    m = JsonLogLine.decode(b, start, i - start);
                }
                start = i + 1;
                if (m != null) {
                    consumer.accept(m);
                }
            }
            partial.write(b, start, n - start);
        }

        /** A file ended: an unterminated line in it is torn, never completed by the next file. */
        void endOfFile() {
            partial.reset();
        }
    }
}
