package dev.berth.common;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker's human-readable durations (go-units {@code HumanDuration}), as {@code docker ps} shows
 * them in CREATED ("2 minutes") and STATUS ("Up About an hour"). The daemon's status text and the
 * CLI's tables must agree to the letter, so both use this one implementation. Stateless.
 */
public final class HumanUnits {
    /** go-units' sizeRegex: a number, an optional space, an optional unit, optional "i" and "b". */
    private static final Pattern RAM = Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$");

    private HumanUnits() {}

    /**
     * go-units RAMInBytes, as docker's {@code --memory}, {@code --shm-size} and dockerd's
     * {@code --default-shm-size} read sizes: binary multiples ({@code 1k} = 1024, {@code 6m},
     * {@code 1.5GiB}); leading and trailing blanks ignored.
     *
     * @throws BerthException INVALID_ARGUMENT "invalid size: 'x'" for anything else
     */
    public static long ramInBytes(String s) {
        Matcher m = s == null ? null : RAM.matcher(s.trim());
        if (m == null || !m.matches()) {
            throw BerthException.invalid("invalid size: '%s'", s);
        }
        double n = Double.parseDouble(m.group(1));
        long mult = switch (m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            case "t" -> 1L << 40;
            case "p" -> 1L << 50;
            default -> 1L;
        };
        return (long) (n * mult);
    }

    /** go-units HumanDuration: "Less than a second", "1 second", "About a minute", "3 days", … */
    public static String humanDuration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = d.toMinutes();
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        // go-units rounds the fractional hours: int(d.Hours() + 0.5)
        long hours = Math.round(d.toMillis() / 3_600_000.0);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return hours / 24 / 365 + " years";
    }
}
