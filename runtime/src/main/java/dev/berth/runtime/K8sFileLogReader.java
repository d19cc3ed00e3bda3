package dev.berth.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.OffsetDateTime;
import java.util.function.BooleanSupplier;

/**
 * Reads conmon's k8s-file log: one record per line, {@code <RFC3339Nano> <stdout|stderr> <P|F> <content>}.
 * P (partial) records are joined with the following records of the same stream up to the F
 * record, which ends the line. With follow, the file is polled; conmon's size rotation replaces
 * the file (new inode), which is detected and read from the start. Stateless; one call per reader.
 */
public final class K8sFileLogReader {
    private static final long POLL_MILLIS = 100;

    private K8sFileLogReader() {}

    public static void read(Path logPath, boolean follow, BooleanSupplier stop, RuntimeDriver.LogConsumer consumer) throws IOException {
        LineParser parser = new LineParser(consumer);
        Object fileKey = null;
        long pos = 0;
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        while (true) {
            boolean progressed = false;
            try {
                BasicFileAttributes attrs = Files.readAttributes(logPath, BasicFileAttributes.class);
                if (fileKey != null && !fileKey.equals(attrs.fileKey()) || attrs.size() < pos) {
                    pos = 0; // rotated or truncated
                    pending.reset();
                }
                fileKey = attrs.fileKey();
                if (attrs.size() > pos) {
                    try (InputStream in = Files.newInputStream(logPath)) {
                        in.skipNBytes(pos);
                        byte[] buf = new byte[65536];
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            pos += n;
                            for (int i = 0; i < n; i++) {
                                if (buf[i] == '\n') {
                                    parser.line(pending.toByteArray());
                                    pending.reset();
                                } else {
                                    pending.write(buf[i]);
                                }
                            }
                        }
                    }
                    progressed = true;
                }
            } catch (NoSuchFileException e) {
                if (!follow) {
                    return;
                }
            }
            if (!follow) {
                parser.flush();
                return;
            }
            if (!progressed) {
                if (stop.getAsBoolean()) {
                    parser.flush();
                    return;
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Parses records and joins partials; exposed to tests through {@link #read}. */
    static final class LineParser {
        private final RuntimeDriver.LogConsumer consumer;
        private final ByteArrayOutputStream[] partial = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
        private final long[] partialTime = new long[2];

        LineParser(RuntimeDriver.LogConsumer consumer) {
            this.consumer = consumer;
        }

        void line(byte[] line) throws IOException {
            int s1 = indexOf(line, (byte) ' ', 0);
            int s2 = s1 < 0 ? -1 : indexOf(line, (byte) ' ', s1 + 1);
            if (s2 < 0) {
                return; // not a record
            }
            int s3 = indexOf(line, (byte) ' ', s2 + 1);
            String ts = new String(line, 0, s1, java.nio.charset.StandardCharsets.US_ASCII);
            String stream = new String(line, s1 + 1, s2 - s1 - 1, java.nio.charset.StandardCharsets.US_ASCII);
            String tag = s3 < 0 ? new String(line, s2 + 1, line.length - s2 - 1, java.nio.charset.StandardCharsets.US_ASCII)
                    : new String(line, s2 + 1, s3 - s2 - 1, java.nio.charset.StandardCharsets.US_ASCII);
            int contentStart = s3 < 0 ? line.length : s3 + 1;
            boolean stderr = stream.equals("stderr");
            int idx = stderr ? 1 : 0;
            long time;
            try {
                OffsetDateTime t = OffsetDateTime.parse(ts);
                time = t.toEpochSecond() * 1_000_000_000L + t.getNano();
            } catch (RuntimeException e) {
                return;
            }
            if (partial[idx].size() == 0) {
                partialTime[idx] = time;
            }
            partial[idx].write(line, contentStart, line.length - contentStart);
            if (!tag.startsWith("P")) {
                partial[idx].write('\n');
                emit(idx, stderr);
            }
        }

        private void emit(int idx, boolean stderr) throws IOException {
            byte[] data = partial[idx].toByteArray();
            partial[idx].reset();
            consumer.accept(new RuntimeDriver.LogEntry(partialTime[idx], stderr, data));
        }

        /** At the end of a non-follow read: a trailing partial line is delivered without its newline. */
        void flush() throws IOException {
            for (int i = 0; i < 2; i++) {
                if (partial[i].size() > 0) {
                    emit(i, i == 1);
                }
            }
        }

        private static int indexOf(byte[] b, byte c, int from) {
            for (int i = from; i < b.length; i++) {
                if (b[i] == c) {
                    return i;
                }
            }
            return -1;
        }
    }
}
