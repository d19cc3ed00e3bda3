package dev.berth.daemon.backend;

import dev.berth.common.BerthException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Timestamps in filters ({@code until}, {@code since}) as dockerd's {@code timetypes.GetTimestamp}
 * accepts them: Unix seconds with optional fraction, RFC 3339 (with or without zone / time), or a
 * Go duration ({@code 10m}, {@code 1h30m}) meaning that long before now. Pure functions.
 */
public final class FilterTimes {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private FilterTimes() {}

    public static Instant parse(String value, Instant now) {
        String v = value.trim();
        if (v.matches("-?\\d+(\\.\\d+)?")) {
            double secs = Double.parseDouble(v);
            long whole = (long) Math.floor(secs);
            return Instant.ofEpochSecond(whole, Math.round((secs - whole) * 1e9));
        }
        Long nanos = durationNanos(v);
        if (nanos != null) {
            return now.minusNanos(nanos);
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (RuntimeException e) {
            // try the zone-less forms below
        }
        try {
            return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            // next
        }
        try {
            return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            throw BerthException.invalid("failed to parse value as time or duration: \"%s\"", value);
        }
    }

    /** Go duration syntax to nanoseconds, or null if {@code v} is not one. */
    static Long durationNanos(String v) {
        if (v.isEmpty()) {
            return null;
        }
        Matcher m = DURATION_PART.matcher(v);
        int pos = 0;
        double total = 0;
        while (m.find() && m.start() == pos) {
            double n = Double.parseDouble(m.group(1));
            total += n * switch (m.group(2)) {
                case "ns" -> 1d;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            pos = m.end();
        }
        return pos == v.length() && pos > 0 ? (long) total : null;
    }

    /** RFC 3339 timestamp (as in image configs) to an instant; null or unparsable → epoch. */
    public static Instant ofRfc3339(String s) {
        if (s == null || s.isEmpty()) {
            return Instant.EPOCH;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }
}
