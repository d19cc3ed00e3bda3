package dev.berth.runtime;

import dev.berth.common.PinnedFile;
import dev.berth.sys.fs.FileSpace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Incremental reader of conmon's k8s-file output spool: one record per line,
 * {@code <RFC3339Nano> <stdout|stderr> <P|F> <content>}. Records become {@link
 * RuntimeDriver.LogEntry LogEntries} as dockerd's copier would have read the stream: the P pieces
 * of a line are joined to it ({@link LineJoiner}); a line's entry ends with '\n', a piece of a line
 * longer than 16 KiB, or output that ended without a newline ({@link #finish}), does not.
 *
 * <p>conmon rotates the spool at {@code --log-size-max} by closing its file, creating a new one
 * and renaming it over the path. The spool keeps the file it reads open, so when the path names a
 * new file, the old one is read to its end first (conmon closed it before writing the new one):
 * nothing is lost while a reader keeps up. Only output that passes through more than one whole
 * spool while nobody reads (the daemon is down) is lost, the oldest first.
 *
 * <p>With a {@link FileSpace}, what has been read is given back to the file system (holes punched
 * in the consumed beginning, in steps of {@value #RECLAIM_STEP} bytes), so a spool that conmon lets
 * grow to its rotation size takes only the disk space of what is not shipped yet. A later reader
 * of the same file (after a daemon restart) skips the hole's zeros; the record cut by the hole's
 * end was shipped before and is dropped as unreadable.
 *
 * <p>Not thread-safe: one owner drains it.
 */
final class K8sFileSpool implements RuntimeDriver.OutputSpool {
    static final long RECLAIM_STEP = 256 * 1024;
    private static final long BLOCK = 4096;

    private final Path path;
    private final FileSpace space;
    private long reclaimed;
    // small: one per running container; conmon writes records of at most 8 KiB anyway
    private final ByteBuffer buf = ByteBuffer.allocate(16384);
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final LineJoiner lines = new LineJoiner();
    /** The spool offset where the record being read ({@link #pending}) starts. */
    private long recordStart;
    private FileChannel channel;
    private Object fileKey;
    private long pos;

    /** @param space where consumed ranges are punched out; null to leave the file as it is */
    K8sFileSpool(Path path, FileSpace space) {
        this.path = path;
        this.space = space;
    }

    @Override
    public boolean finish(RuntimeDriver.LogConsumer consumer) throws IOException {
        boolean progressed = drain(consumer);
        lines.flush(consumer);
        return progressed;
    }

    @Override
    public boolean drain(RuntimeDriver.LogConsumer consumer) throws IOException {
        boolean progressed = false;
        while (true) {
            if (channel == null && !open()) {
                return progressed;
            }
            progressed |= readToEnd(consumer);
            Object now = currentKey();
            if (now == null || now.equals(fileKey)) {
                reclaim();
                return progressed;
            }
            // rotated: finish the old file (complete by now), then continue with the new one
            progressed |= readToEnd(consumer);
            closeChannel();
        }
    }

    private boolean open() throws IOException {
        PinnedFile opened = PinnedFile.open(path).orElse(null);
        if (opened == null) {
            return false;
        }
        if (!opened.fileKey().equals(fileKey)) { // else reopened after close(): carry on where it stopped
            pos = 0;
            reclaimed = 0;
            pending.reset();
            lines.forgetOffsets();
        }
        channel = opened.channel();
        fileKey = opened.fileKey();
        return true;
    }

    private Object currentKey() throws IOException {
        return PinnedFile.keyOf(path);
    }

    private boolean readToEnd(RuntimeDriver.LogConsumer consumer) throws IOException {
        if (channel.size() < pos) {
            pos = 0; // truncated in place: start over
            pending.reset();
            lines.forgetOffsets();
        }
        boolean progressed = false;
        int n;
        while ((n = channel.read(buf.clear(), pos)) > 0) {
            pos += n;
            progressed = true;
            byte[] b = buf.array();
            int start = 0;
            long bufStart = pos - n;
            for (int i = 0; i < n; i++) {
                if (b[i] == 0 && i == start && pending.size() == 0) {
                    start++; // a punched hole reads as zeros; no record starts with one
                    continue;
                }
                if (i == start && pending.size() == 0) {
                    recordStart = bufStart + i;
                }
                if (b[i] == '\n') {
                    pending.write(b, start, i - start);
                    RuntimeDriver.LogEntry e = parse(pending.toByteArray());
                    pending.reset();
                    start = i + 1;
                    if (e != null) {
                        lines.accept(e, recordStart, consumer);
                    }
                }
            }
            pending.write(b, start, n - start);
        }
        return progressed;
    }

    /**
     * Punches out what has been consumed: whole blocks before the first byte not yet delivered (a
     * record still being read, or held as a piece of a line, stays, so that a reader after a
     * restart can read it whole).
     */
    private void reclaim() {
        if (space == null) {
            return;
        }
        long consumed = Math.min(pos - pending.size(), lines.oldestHeldOffset()) / BLOCK * BLOCK;
        if (consumed - reclaimed < RECLAIM_STEP) {
            return;
        }
        try {
            if (space.punchHole(path, fileKey, reclaimed, consumed - reclaimed)) {
                reclaimed = consumed;
            }
        } catch (IOException e) {
            // a file system without hole punching: the spool still rotates at its size
            reclaimed = Long.MAX_VALUE / 2;
        }
    }

    /** One record, or null for a line that is not one. */
    static RuntimeDriver.LogEntry parse(byte[] line) {
        int s1 = indexOf(line, 0);
        int s2 = s1 < 0 ? -1 : indexOf(line, s1 + 1);
        if (s2 < 0) {
            return null;
        }
        int s3 = indexOf(line, s2 + 1);
        long time;
        try {
            OffsetDateTime t = OffsetDateTime.parse(new String(line, 0, s1, StandardCharsets.US_ASCII));
            time = t.toEpochSecond() * 1_000_000_000L + t.getNano();
        } catch (DateTimeParseException e) {
            return null;
        }
        boolean stderr = new String(line, s1 + 1, s2 - s1 - 1, StandardCharsets.US_ASCII).equals("stderr");
        int tagEnd = s3 < 0 ? line.length : s3;
        boolean partial = tagEnd > s2 + 1 && line[s2 + 1] == 'P';
        int contentStart = s3 < 0 ? line.length : s3 + 1;
        int len = line.length - contentStart;
        byte[] data = new byte[len + (partial ? 0 : 1)];
        System.arraycopy(line, contentStart, data, 0, len);
        if (!partial) {
            data[len] = '\n';
        }
        return new RuntimeDriver.LogEntry(time, stderr, data);
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == ' ') {
                return i;
            }
        }
        return -1;
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
            fileKey = null;
        }
    }

    /** Releases the file but remembers the position: a later drain of the same file carries on there. */
    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
