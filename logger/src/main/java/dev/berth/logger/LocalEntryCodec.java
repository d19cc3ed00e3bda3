package dev.berth.logger;

import dev.berth.common.Ids;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The {@code local} driver's framing ({@link LocalLogEntry}). A message without a trailing
 * newline is a part of a longer line: it is written as a partial entry, and the parts of one line
 * share an id and count up from ordinal 1, the part that ends the line marked last — as dockerd's
 * copier does — so that dockerd's reader joins them as ours does. stdout and stderr each have their
 * own line in progress (dockerd copies each stream on its own), so a stderr line written between
 * two parts of a long stdout line neither ends nor joins it.
 */
final class LocalEntryCodec implements RecordCodec {
    /** Per stream (0 stdout, 1 stderr): the id of the line whose parts are being written; null between lines. */
    private final String[] partialIds = new String[2];
    private final int[] ordinals = new int[2];

    @Override
    public void encode(LogMessage m, ByteArrayOutputStream out) {
        byte[] d = m.data();
        int s = m.stderr() ? 1 : 0;
        boolean ends = d.length > 0 && d[d.length - 1] == '\n';
        LocalLogEntry.Partial partial = null;
        if (!ends) {
            if (partialIds[s] == null) {
                partialIds[s] = Ids.newId();
                ordinals[s] = 0;
            }
            partial = new LocalLogEntry.Partial(false, partialIds[s], ++ordinals[s]);
        } else if (partialIds[s] != null) {
            partial = new LocalLogEntry.Partial(true, partialIds[s], ++ordinals[s]);
            partialIds[s] = null;
        }
        LocalLogEntry.encode(m.stderr() ? "stderr" : "stdout", m.timeNanos(), d, ends ? d.length - 1 : d.length, partial, out);
    }

    @Override
    public void continueAfter(LogMessage last) {
        if (last != null && last.partial()) {
            // the line's earlier parts keep their id; a new id still ends the line for every reader
            int s = last.stderr() ? 1 : 0;
            partialIds[s] = Ids.newId();
            ordinals[s] = 1;
        }
    }

    private static int lenAt(ReadAt src, long at) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(LocalLogEntry.LEN_BYTES);
        while (b.hasRemaining()) {
            if (src.read(b, at + b.position()) <= 0) {
                return -1;
            }
        }
        return b.getInt(0);
    }

    /** Whether a whole, decodable entry ends exactly at {@code end}. */
    private static boolean entryEndsAt(ReadAt src, long end) throws IOException {
        if (end < 2L * LocalLogEntry.LEN_BYTES) {
            return false;
        }
        int n = lenAt(src, end - LocalLogEntry.LEN_BYTES);
        long start = end - 2L * LocalLogEntry.LEN_BYTES - n;
        if (n < 0 || n > LocalLogEntry.MAX_MESSAGE || start < 0 || lenAt(src, start) != n) {
            return false;
        }
        ByteBuffer msg = ByteBuffer.allocate(n);
        while (msg.hasRemaining()) {
            if (src.read(msg, start + LocalLogEntry.LEN_BYTES + msg.position()) <= 0) {
                return false;
            }
        }
        return LocalLogEntry.decode(msg.array(), 0, n) != null;
    }

    @Override
    public long completeEnd(ReadAt src, long size) throws IOException {
        if (size == 0 || entryEndsAt(src, size)) {
            return size; // the common case: the file ends with an intact entry
        }
        // torn: walk the framing from the start (the only trustworthy direction) to the last good entry
        long pos = 0;
        long good = 0;
        while (pos + 2L * LocalLogEntry.LEN_BYTES <= size) {
            int n = lenAt(src, pos);
            long next = pos + 2L * LocalLogEntry.LEN_BYTES + n;
            if (n < 0 || n > LocalLogEntry.MAX_MESSAGE || next > size || lenAt(src, next - LocalLogEntry.LEN_BYTES) != n) {
                break;
            }
            pos = next;
            good = pos;
        }
        return good;
    }

    @Override
    public long startOfLast(ReadAt src, long end, long[] need) throws IOException {
        long at = end;
        while (need[0] > 0 && at >= 2L * LocalLogEntry.LEN_BYTES) {
            int n = lenAt(src, at - LocalLogEntry.LEN_BYTES);
            long start = at - 2L * LocalLogEntry.LEN_BYTES - n;
            if (n < 0 || start < 0 || lenAt(src, start) != n) {
                break; // damaged framing: what lies before cannot be found backwards (dockerd stops too)
            }
            at = start;
            need[0]--;
        }
        return at;
    }

    @Override
    public Splitter splitter(Sink sink) {
        return new Frames(sink);
    }

    /** Reassembles framed entries from chunks of bytes. */
    private static final class Frames implements Splitter {
        private final Sink sink;
        private byte[] buf = new byte[8192];
        private int len;
        /** The framing of the current file is damaged: nothing more of it can be trusted. */
        private boolean lost;

        Frames(Sink sink) {
            this.sink = sink;
        }

        @Override
        public void feed(byte[] b, int n) throws IOException {
            if (lost) {
                return;
            }
            if (len + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
            System.arraycopy(b, 0, buf, len, n);
            len += n;
            int pos = 0;
            while (len - pos >= LocalLogEntry.LEN_BYTES) {
                int size = LocalLogEntry.readLen(buf, pos);
                if (size < 0 || size > LocalLogEntry.MAX_MESSAGE) {
                    lost = true;
                    break;
                }
                int whole = size + 2 * LocalLogEntry.LEN_BYTES;
                if (len - pos < whole) {
                    break;
                }
                if (LocalLogEntry.readLen(buf, pos + whole - LocalLogEntry.LEN_BYTES) != size) {
                    lost = true;
                    break;
                }
                LocalLogEntry.Entry e = LocalLogEntry.decode(buf, pos + LocalLogEntry.LEN_BYTES, size);
                pos += whole;
                if (e != null) {
                    sink.accept(e.toMessage());
                }
            }
            if (lost) {
                len = 0;
                return;
            }
            System.arraycopy(buf, pos, buf, 0, len - pos);
            len -= pos;
        }

        @Override
        public void endOfFile() {
            len = 0;
            lost = false;
        }
    }
}
