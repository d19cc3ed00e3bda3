package dev.berth.cli;

import dev.berth.common.BerthException;
import java.math.BigDecimal;
import java.time.Duration;

/** Docker's unit parsing (go-units RAMInBytes, --cpus, Go durations). Stateless utility. */
final class Units {
    private Units() {}

    /** go-units RAMInBytes: binary multiples, e.g. {@code 1k} = 1024, {@code 6m}. */
    static long ramInBytes(String s) {
        return dev.berth.common.HumanUnits.ramInBytes(s);
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
