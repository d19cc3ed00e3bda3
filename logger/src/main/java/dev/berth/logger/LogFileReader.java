package dev.berth.logger;

import dev.berth.common.PinnedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Reads a file-based log ({@link LogFormat}) for {@code docker logs}: the rotated files oldest
 * first, then the current one; with follow, keeps reading the current file as it grows and across
 * rotations (the old file is read to its end before the new one is opened) until {@code stop}
 * says so and nothing is left to read. Undecodable records (a torn write) are skipped. Stateless;
 * one call per request, safe to run concurrently with the writer and other readers.
 */
public final class LogFileReader {
    private static final long POLL_MILLIS = 50;

    private LogFileReader() {}

    /** Receives messages in log order; may throw to end the read (e.g. the client went away). */
    @FunctionalInterface
    public interface Consumer {
        void accept(LogMessage message) throws IOException;
    }

    /** Number of messages in the log now. */
    public static long count(Path current, LogFormat format) throws IOException {
        long[] n = {0};
        read(current, format, -1, false, () -> true, m -> n[0]++);
        return n[0];
    }

    /** The whole log (see {@link #read(Path, LogFormat, long, boolean, BooleanSupplier, Consumer)}). */
    public static void read(Path current, LogFormat format, boolean follow, BooleanSupplier stop, Consumer consumer) throws IOException {
        read(current, format, -1, follow, stop, consumer);
    }

    /**
     * @param tail the number of newest lines to start with (found by reading the files backwards, so
     *             {@code --tail 10} of a large log costs ten lines, not the log); negative for all
     * @param stop polled while following and nothing new arrived; once it returns true the log is
     *             read to its end one last time and the call returns. Ignored without follow.
     */
    public static void read(Path current, LogFormat format, long tail, boolean follow, BooleanSupplier stop, Consumer consumer)
            throws IOException {
        RecordCodec codec = format.codec(java.util.Map.of());
        RecordCodec.Splitter lines = codec.splitter(consumer::accept);
        // the current file is pinned first: a rotation from now on cannot take its lines away
        Followed f = Followed.open(current);
        List<Path> rotated = new java.util.ArrayList<>(LogFiles.oldestFirst(current));
        rotated.remove(current);
        if (f != null && !rotated.isEmpty() && rotated.getLast().equals(current)) {
            rotated.removeLast();
        }
        long[] need = {tail};
        if (tail >= 0 && f != null) {
            f.pos = codec.startOfLast(f.channel::read, codec.completeEnd(f.channel::read, f.channel.size()), need);
        }
        int first = 0;
        long firstOffset = 0;
        if (tail >= 0) {
            first = rotated.size();
            for (int i = rotated.size() - 1; i >= 0 && need[0] > 0; i--) {
                byte[] content = readAll(rotated.get(i));
                RecordCodec.ReadAt src = (b, at) -> readFrom(content, b, at);
                firstOffset = codec.startOfLast(src, codec.completeEnd(src, content.length), need);
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

        boolean drain(RecordCodec.Splitter lines) throws IOException {
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
        Followed successor(Path p, RecordCodec.Splitter lines) throws IOException {
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
}
