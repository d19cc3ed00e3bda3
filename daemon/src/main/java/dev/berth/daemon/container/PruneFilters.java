package dev.berth.daemon.container;

import dev.berth.common.BerthException;
import dev.berth.common.Filters;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** {@code docker container prune --filter}: until (timestamp or Go duration) and label / label!. Pure. */
final class PruneFilters {
    private PruneFilters() {}

    /** Parses Docker's until: Unix seconds (fractions allowed), RFC 3339, or a duration like 10m / 1h30m before now. */
    static Instant until(String v, Instant now) {
        try {
            double secs = Double.parseDouble(v);
            return Instant.ofEpochSecond((long) secs, (long) ((secs - Math.floor(secs)) * 1e9));
        } catch (NumberFormatException ignored) {
            // not a number
        }
        try {
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (java.time.format.DateTimeParseException ignored) {
            // not RFC 3339
        }
        try {
            return now.minus(goDuration(v));
        } catch (RuntimeException ex) {
            throw BerthException.invalid("failed to parse value %s as a timestamp or duration", v);
        }
    }

    static Duration goDuration(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)").matcher(s);
        long nanos = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                throw new IllegalArgumentException(s);
            }
            end = m.end();
            double n = Double.parseDouble(m.group(1));
            nanos += (long) (n * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1_000;
                case "ms" -> 1_000_000;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            });
        }
        if (end != s.length() || end == 0) {
            throw new IllegalArgumentException(s);
        }
        return Duration.ofNanos(nanos);
    }

    static boolean matches(Filters f, ContainerRecord r, Instant until) {
        if (until != null) {
            Instant created = Times.parse(r.created);
            if (created == null || !created.isBefore(until)) {
                return false;
            }
        }
        Map<String, String> labels = r.config.labels() == null ? Map.of() : r.config.labels();
        for (String l : f.get("label")) {
            if (!ListFilters.labelMatch(l, labels)) {
                return false;
            }
        }
        for (String l : f.get("label!")) {
            if (ListFilters.labelMatch(l, labels)) {
                return false;
            }
        }
        return true;
    }
}
