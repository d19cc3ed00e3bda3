package dev.berth.compose.engine;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compose durations ("1m30s", "500ms") and byte sizes ("512m", "1gb", 1024). Pure utility. */
public final class Units {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
    private static final Pattern BYTES = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)i?b?");

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
        Matcher m = BYTES.matcher(v.toString().strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "invalid size \"" + v + "\"");
        }
        double x = Double.parseDouble(m.group(1));
        long mul = switch (m.group(2)) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            case "t" -> 1L << 40;
            case "p" -> 1L << 50;
            default -> 1L;
        };
        return (long) (x * mul);
    }
}
