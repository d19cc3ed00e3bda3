package dev.berth.cli;

import dev.berth.common.BerthException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Docker's unit parsing (go-units RAMInBytes, --cpus, Go durations). Stateless utility. */
final class Units {
    private static final Pattern RAM = Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$");

    private Units() {}

    /** go-units RAMInBytes: binary multiples, e.g. {@code 1k} = 1024, {@code 6m}. */
    static long ramInBytes(String s) {
        Matcher m = RAM.matcher(s.trim());
        if (!m.matches()) {
            throw BerthException.invalid("invalid size: '%s'", s);
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        long mult = switch (unit) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            case "t" -> 1L << 40;
            case "p" -> 1L << 50;
            default -> 1L;
        };
        return (long) (n * mult);
    }

    /** {@code --cpus 1.5} to NanoCPUs, rejecting more than 9 decimal places as docker does. */
    static long nanoCpus(String s) {
        try {
            BigDecimal d = new BigDecimal(s).movePointRight(9);
            if (d.stripTrailingZeros().scale() > 0) {
                throw BerthException.invalid("invalid argument \"%s\" for \"--cpus\" flag: value is too precise", s);
            }
            return d.longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw BerthException.invalid("invalid argument \"%s\" for \"--cpus\" flag: failed to parse %s as a rational number", s, s);
        }
    }

    /** A Go duration in nanoseconds ({@code 1s}, {@code 500ms}, {@code 1m30s}). */
    static long duration(String s, String flag) {
        Duration d = Times.parseGoDuration(s);
        if (d == null) {
            throw BerthException.invalid("invalid argument \"%s\" for \"%s\" flag: time: invalid duration \"%s\"", s, flag, s);
        }
        return d.toNanos();
    }
}
