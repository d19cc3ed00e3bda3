package dev.berth.daemon.container;

import dev.berth.common.BerthException;
import java.util.Locale;
import java.util.Map;

/** Linux signal names and numbers (x86_64), parsed as Docker does ("KILL", "SIGKILL", "9"). */
public final class Signals {
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;
    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4),
            Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7),
            Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11),
            Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15),
            Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19),
            Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23),
            Map.entry("XCPU", 24), Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27),
            Map.entry("WINCH", 28), Map.entry("IO", 29), Map.entry("POLL", 29), Map.entry("PWR", 30),
            Map.entry("SYS", 31));

    private Signals() {}

    /** Parses a signal; INVALID_ARGUMENT "Invalid signal: x" otherwise. Null or empty gives {@code dflt}. */
    public static int parse(String s, int dflt) {
        if (s == null || s.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(s);
            if (n <= 0 || n > 64) {
                throw BerthException.invalid("Invalid signal: %s", s);
            }
            return n;
        } catch (NumberFormatException e) {
            String up = s.toUpperCase(Locale.ROOT);
            if (up.startsWith("SIG")) {
                up = up.substring(3);
            }
            if (up.startsWith("RTMIN+") || up.startsWith("RTMAX-")) {
                try {
                    int off = Integer.parseInt(up.substring(6));
                    return up.startsWith("RTMIN") ? 34 + off : 64 - off;
                } catch (NumberFormatException x) {
                    throw BerthException.invalid("Invalid signal: %s", s);
                }
            }
            Integer n = BY_NAME.get(up);
            if (n == null) {
                throw BerthException.invalid("Invalid signal: %s", s);
            }
            return n;
        }
    }
}
