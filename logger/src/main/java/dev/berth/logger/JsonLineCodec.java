package dev.berth.logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The {@code json-file} framing: one {@link JsonLogLine} per line, ended by '\n'. A line that
 * does not decode (foreign or torn content) is skipped.
 */
final class JsonLineCodec implements RecordCodec {
    private final Map<String, String> attrs;

    /** @param attrs attributes written into every line, sorted by name as dockerd marshals them */
    JsonLineCodec(Map<String, String> attrs) {
        this.attrs = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(attrs));
    }

    @Override
    public void encode(LogMessage m, ByteArrayOutputStream out) {
        JsonLogLine.encode(m, attrs, out);
    }

    @Override
    public long completeEnd(ReadAt src, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8192);
        for (long end = size; end > 0; ) {
            int n = (int) Math.min(b.capacity(), end);
            b.clear().limit(n);
            src.read(b, end - n);
            for (int i = n - 1; i >= 0; i--) {
                if (b.get(i) == '\n') {
                    return end - n + i + 1;
                }
            }
            end -= n;
        }
        return 0;
    }

    @Override
    public long startOfLast(ReadAt src, long end, long[] need) throws IOException {
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

    @Override
    public Splitter splitter(Sink sink) {
        return new Lines(sink);
    }

    private static final class Lines implements Splitter {
        private final Sink sink;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        Lines(Sink sink) {
            this.sink = sink;
        }

        @Override
        public void feed(byte[] b, int n) throws IOException {
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
                    sink.accept(m);
                }
            }
            partial.write(b, start, n - start);
        }

        @Override
        public void endOfFile() {
            partial.reset();
        }
    }
}
