package dev.berth.logger;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Backward scans over a log file's bytes, shared by the writer (repair) and the reader (tail). Stateless. */
final class LogLines {
    private LogLines() {}

    /** Reads bytes at a position: a file channel or a decompressed file in memory. */
    @FunctionalInterface
    interface ReadAt {
        int read(ByteBuffer into, long position) throws IOException;
    }

    /**
     * The end of the last complete line before {@code size} (just after its newline); 0 when there is
     * none. A line still being written, or torn by a crash, lies beyond it.
     */
    static long completeEnd(ReadAt src, long size) throws IOException {
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
}
