package dev.berth.logger;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Appends {@link LogMessage}s to a file-based log ({@link LogFormat}) and rotates it as dockerd's
 * loggerutils does: before a message is written, a file that has reached {@code max-size} becomes
 * {@code <name>.1} (older ones move up, the oldest beyond {@code max-file} is deleted; gzip'd with
 * the newest record's time in the header when {@code compress}); with {@code max-file=1} the file
 * is truncated instead. A file may thus exceed {@code max-size} by one message, as Docker's does.
 *
 * <p>Messages are buffered until {@link #flush}; callers flush once per batch. Opening repairs a
 * last record cut short by a crash (it is dropped); {@link #end} reports where the log ends so a
 * producer can resume without losing or repeating messages.
 *
 * <p>Not thread-safe: one writer per log, used by one thread at a time (the daemon's log shipper
 * for that container). Readers ({@link LogFileReader}) may read the files concurrently.
 */
public final class LogFileWriter implements Closeable {

    static final java.nio.file.attribute.FileAttribute<?> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----"));
    private final Path path;
    private final RotationPolicy policy;
    private final RecordCodec codec;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(1024);
    private FileChannel channel;
    private long size;
    /** Marks an end not known yet (neither read back nor assumed). */
    private static final long UNKNOWN = Long.MAX_VALUE;
    private long lastTime = UNKNOWN;
    private int countAtLastTime;

    private LogFileWriter(Path path, RotationPolicy policy, RecordCodec codec) {
        this.path = path;
        this.policy = policy;
        this.codec = codec;
    }

    /**
     * Opens (creating it and, for the local driver, its {@code local-logs} directory if needed) the
     * log whose current file is {@code path}.
     *
     * @param attrs attributes written into every record ({@code labels}/{@code env} options of
     *              json-file); may be empty
     */
    public static LogFileWriter open(Path path, LogFormat format, RotationPolicy policy, Map<String, String> attrs) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (format == LogFormat.LOCAL && !Files.isDirectory(dir)) {
            // dockerd keeps the local driver's files private to root
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        LogFileWriter w = new LogFileWriter(path, policy, format.codec(attrs));
        w.openCurrent();
        return w;
    }

    private void openCurrent() throws IOException {
        // 0640 as dockerd creates its log files (the umask may take more away)
        channel = FileChannel.open(path, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ),
                FILE_MODE);
        long end = channel.size();
        long keep = end;
        if (end > 0) {
            keep = codec.completeEnd(channel::read, end); // drop a torn last record (a crash mid-write)
            if (keep < end) {
                channel.truncate(keep);
            }
        }
        size = keep;
        channel.position(size);
    }

    /**
     * Where a log ends: the time of its newest message and how many of the newest messages carry
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
        boolean newestFile = true;
        for (Path p : LogFiles.oldestFirst(path).reversed()) {
            List<LogMessage> records = new ArrayList<>();
            RecordCodec.Splitter s = codec.splitter(records::add);
            try (InputStream in = LogReaders.open(p)) {
                byte[] buf = new byte[65536];
                int n;
                while ((n = in.read(buf)) > 0) {
                    s.feed(buf, n);
                }
            } catch (java.nio.file.NoSuchFileException rotatedAway) {
                continue;
            }
            if (newestFile) {
                codec.continueAfter(records.isEmpty() ? null : records.getLast());
                newestFile = false;
            }
            if (records.isEmpty()) {
                continue;
            }
            if (last == Long.MIN_VALUE) {
                last = records.getLast().timeNanos();
            }
            int i = records.size() - 1;
            while (i >= 0 && records.get(i).timeNanos() == last) {
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
        if (lastTime == UNKNOWN) {
            scanEnd(); // before a rotation: the rotated file's archive records its newest time
        }
        if (policy.bounded() && size + pending.size() >= policy.maxSize()) {
            flush();
            rotate();
        }
        codec.encode(m, pending);
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
            GzipWithTime.compress(first, lastTime);
        }
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
