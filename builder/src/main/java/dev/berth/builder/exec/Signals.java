package dev.berth.builder.exec;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates STOPSIGNAL values as moby's signal.ParseSignal does (Linux names and numbers). */
final class Signals {
    private static final Set<String> NAMES = Set.of("ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP",
            "ILL", "INT", "IO", "IOT", "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP",
            "SYS", "TERM", "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU",
            "XFSZ", "RTMIN", "RTMAX", "UNUSED");
    private static final Pattern RT = Pattern.compile("RTMIN\\+([1-9]|1[0-5])|RTMAX-([1-9]|1[0-4])");

    private Signals() {}

    static boolean valid(String s) {
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
            try {
                int n = Integer.parseInt(s);
                return n > 0 && n <= 64;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        String name = s.toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        return NAMES.contains(name) || RT.matcher(name).matches();
    }
}
