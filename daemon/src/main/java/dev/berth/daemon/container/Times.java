package dev.berth.daemon.container;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Go's time formats as Docker prints them. Pure utility. */
public final class Times {
    /** Go's zero time in RFC 3339, what Docker shows for "never". */
    public static final String ZERO = "0001-01-01T00:00:00Z";

    private static final DateTimeFormatter FIXED_NANO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Times() {}

    /** RFC3339Nano as Go writes it: trailing zeros of the fraction trimmed, fraction dropped when zero. */
    public static String rfc3339Nano(Instant t) {
        String s = FIXED_NANO.format(t);
        int dot = s.indexOf('.');
        int end = s.length() - 1; // position of 'Z'
        int last = end - 1;
        while (last > dot && s.charAt(last) == '0') {
            last--;
        }
        return last == dot ? s.substring(0, dot) + "Z" : s.substring(0, last + 1) + "Z";
    }

    /** Docker's log timestamp format: always nine fraction digits. */
    public static String rfc3339NanoFixed(Instant t) {
        return FIXED_NANO.format(t);
    }

    public static Instant ofNanos(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    public static long toNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** Parses what {@link #rfc3339Nano} wrote; null for the zero time. */
    public static Instant parse(String s) {
        if (s == null || s.isEmpty() || ZERO.equals(s) || s.startsWith("0001-")) {
            return null;
        }
        Instant fast = parseUtc(s);
        return fast != null ? fast : java.time.OffsetDateTime.parse(s).toInstant();
    }

    /**
     * Fast path for the UTC form {@link #rfc3339Nano} writes ({@code 2006-01-02T15:04:05.999999999Z}):
     * `ps -a` parses several timestamps per container, and DateTimeFormatter took most of its
     * time. Null when {@code s} has another shape (offsets, odd widths): the caller falls back.
     */
    static Instant parseUtc(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int y = digits(s, 0, 4), mo = digits(s, 5, 7), d = digits(s, 8, 10);
        int h = digits(s, 11, 13), mi = digits(s, 14, 16), sec = digits(s, 17, 19);
        if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) {
            return null;
        }
        long nanos = 0;
        if (n > 20) {
            if (s.charAt(19) != '.' || n - 21 > 9 || n - 21 < 1) {
                return null;
            }
            int f = digits(s, 20, n - 1);
            if (f < 0) {
                return null;
            }
            nanos = f;
            for (int i = n - 21; i < 9; i++) {
                nanos *= 10;
            }
        } else if (n != 20) {
            return null;
        }
        try {
            long day = java.time.LocalDate.of(y, mo, d).toEpochDay();
            return Instant.ofEpochSecond(day * 86_400 + h * 3600L + mi * 60L + sec, nanos);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    public static boolean isZero(String s) {
        return parse(s) == null;
    }
}
