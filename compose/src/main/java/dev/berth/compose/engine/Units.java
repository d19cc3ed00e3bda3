package dev.berth.compose.engine;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.HumanUnits;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compose durations ("1m30s", "500ms") and byte sizes ("512m", "1gb", 1024). Pure utility. */
public final class Units {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private Units() {}

    /** Nanoseconds of a Go-style duration. */
    public static long durationNanos(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof Number n) {
            return n.longValue() * 1_000_000_000L;
        }
        String s = v.toString().strip();
        if (s.matches("\\d+")) {
            return Long.parseLong(s) * 1_000_000_000L;
        }
        Matcher m = DURATION_PART.matcher(s);
        long total = 0;
        int pos = 0;
        while (m.find() && m.start() == pos) {
            double x = Double.parseDouble(m.group(1));
            total += (long) (x * switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            });
            pos = m.end();
        }
        if (pos != s.length() || s.isEmpty()) {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "invalid duration \"" + s + "\"");
        }
        return total;
    }

    public static long bytes(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        return HumanUnits.ramInBytes(v.toString()); // compose-go reads sizes with go-units RAMInBytes too
    }
}
