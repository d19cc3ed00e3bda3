package dev.berth.builder.context;

/**
 * Go's {@code path/filepath.Match} on slash-separated paths: {@code *} (not across {@code /}),
 * {@code ?}, {@code [a-z]}, {@code [^a-z]}, and {@code \} escapes. A malformed pattern raises
 * {@link BadPatternException} ("syntax error in pattern"), just as Go returns ErrBadPattern.
 * Pure utility.
 */
public final class GoGlob {
    private GoGlob() {}

    /** Thrown for a malformed pattern. */
    public static final class BadPatternException extends IllegalArgumentException {
        public BadPatternException() {
            super("syntax error in pattern");
        }
    }

    public static boolean match(String pattern, String name) {
        outer:
        while (!pattern.isEmpty()) {
            boolean star = false;
            int p = 0;
            while (p < pattern.length() && pattern.charAt(p) == '*') {
                p++;
                star = true;
            }
            pattern = pattern.substring(p);
            int end = chunkEnd(pattern);
            String chunk = pattern.substring(0, end);
            pattern = pattern.substring(end);
            if (star && chunk.isEmpty()) {
                return name.indexOf('/') < 0;
            }
            String t = matchChunk(chunk, name);
            if (t != null && (t.isEmpty() || !pattern.isEmpty())) {
                name = t;
                continue;
            }
            if (star) {
                for (int i = 0; i < name.length() && name.charAt(i) != '/'; i++) {
                    t = matchChunk(chunk, name.substring(i + 1));
                    if (t != null) {
                        if (pattern.isEmpty() && !t.isEmpty()) {
                            continue;
                        }
                        name = t;
                        continue outer;
                    }
                }
            }
            // Validate the rest of the pattern before reporting no match.
            while (!pattern.isEmpty()) {
                int q = 0;
                while (q < pattern.length() && pattern.charAt(q) == '*') {
                    q++;
                }
                pattern = pattern.substring(q);
                int e = chunkEnd(pattern);
                matchChunk(pattern.substring(0, e), "");
                pattern = pattern.substring(e);
            }
            return false;
        }
        return name.isEmpty();
    }

    /** Throws BadPatternException when the pattern is malformed. */
    public static void validate(String pattern) {
        match(pattern, ".");
    }

    /** True when the pattern has any of Go's meta characters. */
    public static boolean hasMeta(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    private static int chunkEnd(String pattern) {
        boolean inRange = false;
        int i;
        for (i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                if (i + 1 < pattern.length()) {
                    i++;
                }
            } else if (c == '[') {
                inRange = true;
            } else if (c == ']') {
                inRange = false;
            } else if (c == '*' && !inRange) {
                break;
            }
        }
        return i;
    }

    /** Returns the rest of s after the chunk matched, or null when it did not match. */
    private static String matchChunk(String chunk, String s) {
        boolean failed = false;
        int c = 0;
        int si = 0;
        while (c < chunk.length()) {
            if (!failed && si >= s.length()) {
                failed = true;
            }
            char ch = chunk.charAt(c);
            switch (ch) {
                case '[' -> {
                    char r = 0;
                    if (!failed) {
                        r = s.charAt(si++);
                    }
                    c++;
                    boolean negated = false;
                    if (c < chunk.length() && chunk.charAt(c) == '^') {
                        negated = true;
                        c++;
                    }
                    boolean match = false;
                    int nrange = 0;
                    while (true) {
                        if (c < chunk.length() && chunk.charAt(c) == ']' && nrange > 0) {
                            c++;
                            break;
                        }
                        int[] lo = esc(chunk, c);
                        c = lo[1];
                        int hi = lo[0];
                        if (chunk.charAt(c) == '-') {
                            int[] h = esc(chunk, c + 1);
                            hi = h[0];
                            c = h[1];
                        }
                        if (lo[0] <= r && r <= hi) {
                            match = true;
                        }
                        nrange++;
                    }
                    if (match == negated) {
                        failed = true;
                    }
                }
                case '?' -> {
                    if (!failed) {
                        if (s.charAt(si) == '/') {
                            failed = true;
                        }
                        si++;
                    }
                    c++;
                }
                default -> {
                    if (ch == '\\') {
                        c++;
                        if (c >= chunk.length()) {
                            throw new BadPatternException();
                        }
                        ch = chunk.charAt(c);
                    }
                    if (!failed) {
                        if (ch != s.charAt(si)) {
                            failed = true;
                        }
                        si++;
                    }
                    c++;
                }
            }
        }
        return failed ? null : s.substring(si);
    }

    /** Reads one (possibly escaped) class character at i; returns {char, next index}. */
    private static int[] esc(String chunk, int i) {
        if (i >= chunk.length() || chunk.charAt(i) == '-' || chunk.charAt(i) == ']') {
            throw new BadPatternException();
        }
        if (chunk.charAt(i) == '\\') {
            i++;
            if (i >= chunk.length()) {
                throw new BadPatternException();
            }
        }
        char r = chunk.charAt(i);
        i++;
        if (i >= chunk.length()) {
            throw new BadPatternException();
        }
        return new int[] {r, i};
    }
}
