package dev.berth.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/** Docker's timestamp flags ({@code --since}, {@code --until}): durations, RFC 3339, unix seconds. */
final class Times {
    private Times() {}

    /** Converts a user timestamp to what the engine expects ({@code seconds[.nanos]}); null stays null. */
    static String toUnix(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.matches("\\d+(\\.\\d+)?")) {
            return v;
        }
        Duration d = parseGoDuration(v);
        if (d != null) {
            Instant t = Instant.now().minus(d);
            return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
        }
        Instant t;
        try {
            t = OffsetDateTime.parse(v).toInstant();
        } catch (RuntimeException e) {
            try {
                t = LocalDateTime.parse(v).atZone(ZoneId.systemDefault()).toInstant();
            } catch (RuntimeException e2) {
                t = LocalDate.parse(v).atStartOfDay(ZoneId.systemDefault()).toInstant();
            }
        }
        return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
    }

    /** Parses Go durations such as {@code 10m}, {@code 1h30m}, {@code 1.5s}; null if not one. */
    static Duration parseGoDuration(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)").matcher(s);
        long nanos = 0;
        int pos = 0;
        while (m.find()) {
            if (m.start() != pos) {
                return null;
            }
            pos = m.end();
            double n = Double.parseDouble(m.group(1));
            nanos += (long) (n * switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            });
        }
        return pos == s.length() && pos > 0 ? Duration.ofNanos(nanos) : null;
    }
}
