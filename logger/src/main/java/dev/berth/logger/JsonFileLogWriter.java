package dev.berth.logger;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Appends {@link LogMessage}s to a json-file log and rotates it as dockerd does: before a message
 * is written, a file that has reached {@code max-size} becomes {@code <name>.1} (older ones move up,
 * the oldest beyond {@code max-file} is deleted; gzip'd when {@code compress}); with {@code
 * max-file=1} the file is truncated instead. A file may thus exceed {@code max-size} by one
 * message, as Docker's does.
 *
 * <p>Messages are buffered until {@link #flush}; callers flush once per batch. Opening repairs a
 * last line cut short by a crash (it is dropped); {@link #end} reports where the log ends so a
 * producer can resume without duplicates.
 *
 * <p>Not thread-safe: one writer per log, used by one thread at a time (the daemon's log shipper
 * for that container). Readers may read the files concurrently.
 */
public final class JsonFileLogWriter implements Closeable {

    private final Path path;
    private final RotationPolicy policy;
    private final Map<String, String> attrs;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(1024);
    private FileChannel channel;
    private long size;
    /** Marks an end not known yet (neither read back nor assumed). */
    private static final long UNKNOWN = Long.MAX_VALUE;
    private long lastTime = UNKNOWN;
    private int countAtLastTime;

    private JsonFileLogWriter(Path path, RotationPolicy policy, Map<String, String> attrs) {
        this.path = path;
        this.policy = policy;
        // sorted by name, as dockerd marshals its attribute map
        this.attrs = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(attrs));
    }

    /**
     * Opens (creating if needed) the log at {@code path}.
     *
     * @param attrs attributes written into every line ({@code labels}/{@code env} options); may be empty
     */
    public static JsonFileLogWriter open(Path path, RotationPolicy policy, Map<String, String> attrs) throws IOException {
        JsonFileLogWriter w = new JsonFileLogWriter(path, policy, attrs);
        w.openCurrent();
        return w;
    }

    private void openCurrent() throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        long end = channel.size();
        long keep = end;
        if (end > 0) {
            keep = LogLines.completeEnd(channel::read, end); // drop a torn last line (a crash mid-write)
            if (keep < end) {
                channel.truncate(keep);
            }
        }
        size = keep;
        channel.position(size);
    }

    /**
     * Where the log ends: the time of its newest message and how many of the newest messages carry
     * that time (a producer may stamp several lines alike). {@link #NONE} for an empty log.
     */
    public record End(long time, int count) {
        public static final End NONE = new End(Long.MIN_VALUE, 0);
    }

    /**
     * Where the log ends. Known from the writes once known; the first call on a log opened without
     * {@link #assumeEnd} reads the files back, newest first, as far as the run of equal times goes.
     */
    public End end() throws IOException {
        if (lastTime == UNKNOWN) {
            scanEnd();
        }
        return new End(lastTime, countAtLastTime);
    }

    /** Takes the caller's word for where the log ends (it wrote the log before and kept track), saving the read-back. */
    public void assumeEnd(End end) {
        lastTime = end.time();
        countAtLastTime = end.count();
    }

    private void scanEnd() throws IOException {
        long last = Long.MIN_VALUE;
        int count = 0;
        for (Path p : LogFiles.oldestFirst(path).reversed()) {
            List<Long> times = new ArrayList<>();
            try (InputStream in = LogReaders.open(p)) {
                byte[] content = in.readAllBytes();
                int start = 0;
                for (int i = 0; i < content.length; i++) {
                    if (content[i] == '\n') {
                        LogMessage m = JsonLogLine.decode(content, start, i - start);
                        if (m != null) {
                            times.add(m.timeNanos());
                        }
                        start = i + 1;
                    }
                }
            } catch (java.nio.file.NoSuchFileException rotatedAway) {
                continue;
            }
            if (times.isEmpty()) {
                continue;
            }
            if (last == Long.MIN_VALUE) {
                last = times.getLast();
            }
            int i = times.size() - 1;
            while (i >= 0 && times.get(i) == last) {
                count++;
                i--;
            }
            if (i >= 0) {
                break; // the run of equal times starts in this file
            }
        }
        lastTime = last;
        countAtLastTime = count;
    }

    public Path path() {
        return path;
    }

    public void write(LogMessage m) throws IOException {
        if (policy.bounded() && size + pending.size() >= policy.maxSize()) {
            flush();
            rotate();
        }
        if (lastTime == UNKNOWN) {
            scanEnd();
        }
        JsonLogLine.encode(m, attrs, pending);
        if (m.timeNanos() == lastTime) {
            countAtLastTime++;
        } else {
            lastTime = m.timeNanos();
            countAtLastTime = 1;
        }
        if (pending.size() >= 1 << 16) {
            flush();
        }
    }

    /** Writes buffered messages to the current file. */
    public void flush() throws IOException {
        if (pending.size() == 0) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(pending.toByteArray());
        while (b.hasRemaining()) {
            size += channel.write(b);
        }
        pending.reset();
    }

    private void rotate() throws IOException {
        if (policy.maxFiles() == 1) {
            channel.truncate(0);
            channel.position(0);
            size = 0;
            return;
        }
        channel.close();
        int oldest = policy.maxFiles() - 1;
        Files.deleteIfExists(LogFiles.rotated(path, oldest, false));
        Files.deleteIfExists(LogFiles.rotated(path, oldest, true));
        for (int i = oldest - 1; i >= 1; i--) {
            for (boolean gz : new boolean[] {false, true}) {
                Path from = LogFiles.rotated(path, i, gz);
                if (Files.exists(from)) {
                    Files.move(from, LogFiles.rotated(path, i + 1, gz), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path first = LogFiles.rotated(path, 1, false);
        Files.move(path, first, StandardCopyOption.REPLACE_EXISTING);
        openCurrent();
        if (policy.compress()) {
            compress(first);
        }
    }

    /** {@code x.1} → {@code x.1.gz} through a temp file, so a reader never sees a half-written archive. */
    private static void compress(Path file) throws IOException {
        Path gz = file.resolveSibling(file.getFileName() + ".gz");
        Path tmp = file.resolveSibling(file.getFileName() + ".gz.tmp");
        try (InputStream in = Files.newInputStream(file); OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp), 65536)) {
            in.transferTo(out);
        }
        Files.move(tmp, gz, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.delete(file);
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            channel.close();
        }
    }
}
