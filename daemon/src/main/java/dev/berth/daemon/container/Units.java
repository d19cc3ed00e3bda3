package dev.berth.daemon.container;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** go-units parsing and Docker's human durations. Pure utility. */
public final class Units {
    private static final Pattern SIZE = Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$");

    private Units() {}

    /** units.RAMInBytes: binary multipliers (k = 1024); -1 when unparsable. */
    public static long ramInBytes(String s) {
        if (s == null) {
            return -1;
        }
        Matcher m = SIZE.matcher(s.trim());
        if (!m.matches()) {
            return -1;
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        long mult = switch (unit) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            case "t" -> 1L << 40;
            case "p" -> 1L << 50;
            default -> 1;
        };
        return (long) (v * mult);
    }

    /** units.HumanDuration as {@code docker ps} prints it. */
    public static String humanDuration(java.time.Duration d) {
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
        long hours = Math.round(d.toMillis() / 3_600_000.0);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return (hours / 24) + " days";
        } else if (hours < 24 * 30 * 2) {
            return (hours / 24 / 7) + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return (hours / 24 / 30) + " months";
        }
        return (d.toHours() / 24 / 365) + " years";
    }
}
