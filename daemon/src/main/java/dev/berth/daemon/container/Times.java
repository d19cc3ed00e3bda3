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
        return java.time.OffsetDateTime.parse(s).toInstant();
    }

    public static boolean isZero(String s) {
        return parse(s) == null;
    }
}
