package dev.berth.daemon.backend;

import java.util.regex.Pattern;

/** Go's {@code path.Match} patterns ({@code *} and {@code ?} never cross '/', {@code [..]} classes), as used by reference filters. */
final class Globs {
    private Globs() {}

    static boolean match(String pattern, String s) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int end = pattern.indexOf(']', i + 1);
                    if (end < 0) {
                        return false;
                    }
                    String cls = pattern.substring(i + 1, end);
                    if (cls.startsWith("^")) {
                        cls = "^" + cls.substring(1).replace("\\", "\\\\");
                    } else {
                        cls = cls.replace("\\", "\\\\");
                    }
                    re.append('[').append(cls).append(']');
                    i = end;
                }
                case '\\' -> {
                    if (i + 1 < pattern.length()) {
                        re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        try {
            return Pattern.matches(re.toString(), s);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
