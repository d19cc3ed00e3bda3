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
}
