package dev.berth.logger;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The record of dockerd's {@code local} log driver: a protobuf {@code LogEntry} (moby's
 * {@code api/types/plugins/logdriver/entry.proto}) framed as a 4-byte big-endian length, the
 * message, and the same length again, so the file can be read backwards for {@code --tail}.
 *
 * <pre>
 * message LogEntry {                          message PartialLogEntryMetadata {
 *   string source = 1;   // "stdout"/"stderr"   bool last = 1;
 *   int64 time_nano = 2;                        string id = 2;
 *   bytes line = 3;      // without its '\n'    int32 ordinal = 3;
 *   bool partial = 4;                         }
 *   PartialLogEntryMetadata partial_log_metadata = 5;
 *   map&lt;string,string&gt; attrs = 6;   // newer dockerd only; read, never written
 * }
 * </pre>
 *
 * Encoded by hand as gogo-protobuf does it (proto3: fields in number order, zero values left out,
 * negative integers as ten-byte varints). Stateless.
 */
public final class LocalLogEntry {
    /** The framing: a length before and after each message. */
    public static final int LEN_BYTES = 4;
    /** dockerd refuses to decode a message larger than this (its reader's maxMsgLen). */
    public static final int MAX_MESSAGE = 1_000_000;

    private LocalLogEntry() {}

    /**
     * The parts of a line that was split (longer than the producer's buffer, or output that ended
     * without a newline).
     *
     * @param last    true for the part that ends the line
     * @param id      the same for all parts of one line
     * @param ordinal 1 for the first part, counting up
     */
    public record Partial(boolean last, String id, int ordinal) {}

    /** A decoded entry; {@code partial} is null unless the entry is a part of a split line. */
    public record Entry(String source, long timeNano, byte[] line, Partial partial, Map<String, String> attrs) {
        /** As {@code docker logs} gives it: the line with its '\n' back, unless it is a part other than the last. */
        public LogMessage toMessage() {
            boolean newline = partial == null || partial.last();
            byte[] data = line;
            if (newline) {
                data = java.util.Arrays.copyOf(line, line.length + 1);
                data[line.length] = '\n';
            }
            return new LogMessage(timeNano, "stderr".equals(source), data, attrs);
        }
    }

    /** Appends one framed entry to {@code out}. */
    public static void encode(String source, long timeNano, byte[] line, int lineLength, Partial partial, ByteArrayOutputStream out) {
        ByteArrayOutputStream msg = new ByteArrayOutputStream(lineLength + 32);
        if (!source.isEmpty()) {
            byte[] s = source.getBytes(StandardCharsets.UTF_8);
            bytesField(msg, 1, s, s.length);
        }
        if (timeNano != 0) {
            msg.write(2 << 3);
            varint(msg, timeNano);
        }
        if (lineLength > 0) {
            bytesField(msg, 3, line, lineLength);
        }
        if (partial != null) {
            msg.write(4 << 3);
            msg.write(1);
            ByteArrayOutputStream md = new ByteArrayOutputStream(80);
            if (partial.last()) {
                md.write(1 << 3);
                md.write(1);
            }
            if (!partial.id().isEmpty()) {
                byte[] id = partial.id().getBytes(StandardCharsets.UTF_8);
                bytesField(md, 2, id, id.length);
            }
            if (partial.ordinal() != 0) {
                md.write(3 << 3);
                varint(md, partial.ordinal()); // int32: sign-extended, as Go does
            }
            byte[] m = md.toByteArray();
            bytesField(msg, 5, m, m.length);
        }
        int n = msg.size();
        writeLen(out, n);
        out.write(msg.toByteArray(), 0, n);
        writeLen(out, n);
    }

    private static void writeLen(ByteArrayOutputStream out, int n) {
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
    }

    private static void bytesField(ByteArrayOutputStream out, int field, byte[] b, int n) {
        out.write(field << 3 | 2);
        varint(out, n);
        out.write(b, 0, n);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** A big-endian length at {@code b[off]}. */
    static int readLen(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | b[off + 3] & 0xff;
    }

    /** Decodes one message (without its framing); null when it is not a valid {@code LogEntry}. */
    public static Entry decode(byte[] b, int off, int len) {
        try {
            Reader r = new Reader(b, off, off + len);
            String source = "";
            long time = 0;
            byte[] line = new byte[0];
            boolean partial = false;
            Partial meta = null;
            Map<String, String> attrs = Map.of();
            while (r.more()) {
                long key = r.varint();
                int field = (int) (key >>> 3);
                int wire = (int) (key & 7);
                switch (field) {
                    case 1 -> source = r.string(wire);
                    case 2 -> time = r.varintField(wire);
                    case 3 -> line = r.bytes(wire);
                    case 4 -> partial = r.varintField(wire) != 0;
                    case 5 -> meta = partialMeta(r.bytes(wire));
                    case 6 -> {
                        if (attrs.isEmpty()) {
                            attrs = new TreeMap<>();
                        }
                        attr(r.bytes(wire), attrs);
                    }
                    default -> r.skip(wire);
                }
            }
            if (partial && meta == null) {
                meta = new Partial(false, "", 0);
            }
            return new Entry(source, time, line, partial ? meta : null, attrs);
        } catch (IllegalArgumentException | IndexOutOfBoundsException malformed) {
            return null;
        }
    }

    private static Partial partialMeta(byte[] b) {
        Reader r = new Reader(b, 0, b.length);
        boolean last = false;
        String id = "";
        int ordinal = 0;
        while (r.more()) {
            long key = r.varint();
            int wire = (int) (key & 7);
            switch ((int) (key >>> 3)) {
                case 1 -> last = r.varintField(wire) != 0;
                case 2 -> id = r.string(wire);
                case 3 -> ordinal = (int) r.varintField(wire);
                default -> r.skip(wire);
            }
        }
        return new Partial(last, id, ordinal);
    }

    private static void attr(byte[] b, Map<String, String> into) {
        Reader r = new Reader(b, 0, b.length);
        String k = "";
        String v = "";
        while (r.more()) {
            long key = r.varint();
            int wire = (int) (key & 7);
            switch ((int) (key >>> 3)) {
                case 1 -> k = r.string(wire);
                case 2 -> v = r.string(wire);
                default -> r.skip(wire);
            }
        }
        into.put(k, v);
    }

    /** A cursor over protobuf wire format; throws IllegalArgumentException on anything malformed. */
    private static final class Reader {
        private final byte[] b;
        private int pos;
        private final int end;

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new IllegalArgumentException("truncated varint");
                }
                int x = b[pos++];
                v |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("varint too long");
        }

        long varintField(int wire) {
            if (wire != 0) {
                throw new IllegalArgumentException("wire type " + wire + " for a varint field");
            }
            return varint();
        }

        byte[] bytes(int wire) {
            if (wire != 2) {
                throw new IllegalArgumentException("wire type " + wire + " for a length-delimited field");
            }
            long n = varint();
            if (n < 0 || n > end - pos) {
                throw new IllegalArgumentException("length beyond the message");
            }
            byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + (int) n);
            pos += (int) n;
            return out;
        }

        String string(int wire) {
            return new String(bytes(wire), StandardCharsets.UTF_8);
        }

        void skip(int wire) {
            switch (wire) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> bytes(wire);
                case 5 -> advance(4);
                default -> throw new IllegalArgumentException("unsupported wire type " + wire);
            }
        }

        private void advance(int n) {
            if (n > end - pos) {
                throw new IllegalArgumentException("truncated field");
            }
            pos += n;
        }
    }
}
