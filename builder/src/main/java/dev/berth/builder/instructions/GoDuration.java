package dev.berth.builder.instructions;

/** Go's time.ParseDuration and Duration.String, which HEALTHCHECK flags and history use. */
public final class GoDuration {
    private GoDuration() {}

    /** Parses e.g. {@code 1h2m3.5s}, {@code 300ms}, {@code 0}; returns nanoseconds. */
    public static long parse(String s) {
        String orig = s;
        if (s.isEmpty()) {
            throw new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
        }
        boolean neg = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            neg = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
        }
        double total = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
            }
            double value = Double.parseDouble(s.substring(start, i));
            int ustart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(ustart, i);
            long mult = switch (unit) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                case "" -> throw new IllegalArgumentException("time: missing unit in duration \"" + orig + "\"");
                default -> throw new IllegalArgumentException(
                        "time: unknown unit \"" + unit + "\" in duration \"" + orig + "\"");
            };
            total += value * mult;
        }
        long r = Math.round(total);
        return neg ? -r : r;
    }

    /** Formats nanoseconds like Go's Duration.String ({@code 5m0s}, {@code 1.5s}, {@code 0s}). */
    public static String format(long d) {
        if (d == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        boolean neg = d < 0;
        long u = Math.abs(d);
        if (u < 1_000_000_000L) {
            String unit;
            long div;
            if (u < 1_000L) {
                return (neg ? "-" : "") + u + "ns";
            } else if (u < 1_000_000L) {
                unit = "µs";
                div = 1_000L;
            } else {
                unit = "ms";
                div = 1_000_000L;
            }
            sb.append(fraction(u, div)).append(unit);
        } else {
            long h = u / 3_600_000_000_000L;
            long rem = u % 3_600_000_000_000L;
            long m = rem / 60_000_000_000L;
            long ns = rem % 60_000_000_000L;
            if (h > 0) {
                sb.append(h).append('h');
            }
            if (h > 0 || m > 0) {
                sb.append(m).append('m');
            }
            sb.append(fraction(ns, 1_000_000_000L)).append('s');
        }
        return (neg ? "-" : "") + sb;
    }

    private static String fraction(long v, long div) {
        long whole = v / div;
        long frac = v % div;
        if (frac == 0) {
            return Long.toString(whole);
        }
        String f = String.format("%0" + Long.toString(div).length() + "d", frac).substring(1);
        f = f.replaceAll("0+$", "");
        return whole + "." + f;
    }
}
