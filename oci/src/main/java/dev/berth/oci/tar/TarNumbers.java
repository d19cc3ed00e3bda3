package dev.berth.oci.tar;

import java.nio.charset.StandardCharsets;

/** Numeric fields of tar headers: octal text or GNU base-256 binary. Pure. */
final class TarNumbers {
    private static final long MAX_OCTAL_ID = 07777777;

    private TarNumbers() {}

    /** Reads the field at {@code off}: base-256 when its first byte has the high bit, else octal (spaces and NULs around). */
    static long parse(byte[] h, int off, int len) {
        if ((h[off] & 0x80) != 0) {
            long v = h[off] & 0x7f;
            for (int i = off + 1; i < off + len; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        }
        long v = 0;
        int i = off;
        int end = off + len;
        while (i < end && (h[i] == ' ' || h[i] == 0)) {
            i++;
        }
        for (; i < end && h[i] >= '0' && h[i] <= '7'; i++) {
            v = (v << 3) + (h[i] - '0');
        }
        return v;
    }

    /**
     * Writes {@code v} as zero-padded octal, keeping the field's terminator when it is a space (as
     * commons-compress writes) and using a NUL otherwise (as Go does), so a rewritten header differs
     * from the writer's own only in the value.
     */
    static void writeOctal(byte[] h, int off, int len, long v) {
        byte[] digits = String.format("%0" + (len - 1) + "o", v).getBytes(StandardCharsets.US_ASCII);
        if (digits.length > len - 1) {
            throw new IllegalArgumentException("value " + v + " does not fit a " + len + "-byte tar field");
        }
        byte end = h[off + len - 1] == ' ' && (h[off] & 0x80) == 0 ? (byte) ' ' : 0;
        System.arraycopy(digits, 0, h, off, digits.length);
        h[off + len - 1] = end;
    }

    /** Writes an 8-byte uid/gid field: octal when it fits (as tar writers do), else base-256. */
    static void writeId(byte[] h, int off, long v) {
        if (v <= MAX_OCTAL_ID) {
            writeOctal(h, off, 8, v);
            return;
        }
        h[off] = (byte) 0x80;
        for (int i = 7; i >= 1; i--) {
            h[off + i] = (byte) (v & 0xff);
            v >>>= 8;
        }
    }
}
