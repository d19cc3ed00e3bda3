package dev.berth.image;

import dev.berth.common.BerthException;
import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Go's {@code time.ParseDuration} syntax ({@code 1m30s}, {@code 500ms}, {@code 1.5h}) to nanoseconds. */
final class GoDuration {
    private static final Pattern PART = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)");

    private GoDuration() {}

    static long parseNanos(String s) {
        String in = s.trim();
        boolean neg = false;
        if (in.startsWith("-") || in.startsWith("+")) {
            neg = in.startsWith("-");
            in = in.substring(1);
        }
        if (in.equals("0")) {
            return 0;
        }
        if (in.isEmpty()) {
            throw BerthException.invalid("time: invalid duration \"%s\"", s);
        }
        Matcher m = PART.matcher(in);
        int pos = 0;
        BigDecimal total = BigDecimal.ZERO;
        while (pos < in.length()) {
            if (!m.find(pos) || m.start() != pos || m.group(1).isEmpty() || m.group(1).equals(".")) {
                throw BerthException.invalid("time: invalid duration \"%s\"", s);
            }
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
            pos = m.end();
        }
        long v = total.longValue();
        return neg ? -v : v;
    }
}
