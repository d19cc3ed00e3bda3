package dev.berth.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code .dockerignore} matcher with docker's rules: patterns are cleaned paths relative to
 * the context root, {@code *} and {@code ?} stop at "/", {@code **} spans directories, a
 * leading {@code !} re-includes, the last matching pattern wins, and a pattern that matches a
 * parent directory matches everything beneath it. (The CLI may depend only on {@code client},
 * so it carries this small copy instead of the builder's.) Immutable; thread-safe.
 */
final class DockerIgnore {
    private record Rule(Pattern regex, boolean negate) {}

    private final List<Rule> rules = new ArrayList<>();

    DockerIgnore(List<String> lines) {
        for (String raw : lines) {
            String l = raw.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            boolean neg = l.startsWith("!");
            if (neg) {
                l = l.substring(1).strip();
            }
            l = java.nio.file.Path.of("/" + l).normalize().toString().substring(1);
            if (l.isEmpty()) {
                continue;
            }
            rules.add(new Rule(Pattern.compile(regex(l)), neg));
        }
    }

    static String regex(String glob) {
        StringBuilder sb = new StringBuilder("^");
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
                        i++;
                        sb.append("(.*/)?");
                    } else {
                        sb.append(".*");
                    }
                } else {
                    sb.append("[^/]*");
                }
            } else if (c == '?') {
                sb.append("[^/]");
            } else if (c == '[') {
                int end = glob.indexOf(']', i);
                if (end < 0) {
                    sb.append("\\[");
                } else {
                    sb.append('[').append(glob.substring(i + 1, end).replace("\\", "\\\\").replaceFirst("^!", "^")).append(']');
                    i = end;
                }
            } else if (c == '\\' && i + 1 < glob.length()) {
                sb.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.append('$').toString();
    }

    /** True when {@code path} ("/"-separated, relative to the context) is excluded. */
    boolean excluded(String path) {
        boolean ex = false;
        for (Rule r : rules) {
            if (matchesSelfOrParent(r.regex(), path)) {
                ex = !r.negate();
            }
        }
        return ex;
    }

    private static boolean matchesSelfOrParent(Pattern p, String path) {
        if (p.matcher(path).matches()) {
            return true;
        }
        int slash = path.indexOf('/');
        while (slash > 0) {
            if (p.matcher(path.substring(0, slash)).matches()) {
                return true;
            }
            slash = path.indexOf('/', slash + 1);
        }
        return false;
    }

    /** True when some negation could re-include something below an excluded directory. */
    boolean hasExceptions() {
        return rules.stream().anyMatch(Rule::negate);
    }
}
