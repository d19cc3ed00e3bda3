package dev.berth.builder.ignore;

import dev.berth.builder.context.GoGlob;
import dev.berth.builder.context.GoPath;
import dev.berth.common.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Docker's {@code .dockerignore} matcher (moby/patternmatcher): patterns are cleaned like
 * filepath.Clean, {@code *} and {@code ?} never cross {@code /}, {@code **} crosses any number
 * of directories, {@code [...]} classes and {@code \} escapes work as in filepath.Match, a
 * leading {@code !} makes an exception, and the last matching pattern wins. A pattern that
 * matches a directory also matches everything below it ({@link #matchesOrParentMatches}).
 * Immutable and thread-safe.
 */
public final class PatternMatcher {
    private final List<Rule> rules;
    private final boolean exclusions;

    private enum Kind { EXACT, PREFIX, SUFFIX, REGEXP }

    private record Rule(String cleaned, boolean exclusion, Kind kind, Pattern regexp) {
        boolean match(String path) {
            return switch (kind) {
                case EXACT -> path.equals(cleaned);
                case PREFIX -> path.startsWith(cleaned.substring(0, cleaned.length() - 2));
                case SUFFIX -> {
                    String suffix = cleaned.substring(2);
                    yield path.endsWith(suffix) || suffix.startsWith("/") && path.equals(suffix.substring(1));
                }
                case REGEXP -> regexp.matcher(path).matches();
            };
        }
    }

    public PatternMatcher(List<String> patterns) {
        List<Rule> out = new ArrayList<>();
        boolean excl = false;
        for (String raw : patterns) {
            String p = raw.strip();
            if (p.isEmpty()) {
                continue;
            }
            p = GoPath.clean(p);
            boolean exclusion = false;
            if (p.charAt(0) == '!') {
                if (p.length() == 1) {
                    throw BerthException.invalid("illegal exclusion pattern: \"!\"");
                }
                exclusion = true;
                excl = true;
                p = p.substring(1);
            }
            try {
                GoGlob.validate(p);
            } catch (GoGlob.BadPatternException e) {
                throw BerthException.invalid("syntax error in pattern");
            }
            out.add(compile(p, exclusion));
        }
        this.rules = List.copyOf(out);
        this.exclusions = excl;
    }

    /** True when any pattern is an exception ({@code !…}). */
    public boolean hasExclusions() {
        return exclusions;
    }

    /** The cleaned patterns, exceptions prefixed with {@code !}. */
    public List<String> patterns() {
        return rules.stream().map(r -> (r.exclusion ? "!" : "") + r.cleaned).toList();
    }

    /** Whether the path itself matches (no parent-directory matching). */
    public boolean matchesExact(String path) {
        boolean matched = false;
        for (Rule r : rules) {
            if (r.exclusion != matched) {
                continue;
            }
            if (r.match(path)) {
                matched = !r.exclusion;
            }
        }
        return matched;
    }

    /**
     * Whether the slash-separated path, or one of its parent directories, matches (what decides
     * whether a file is excluded from the build context). "." never matches.
     */
    public boolean matchesOrParentMatches(String path) {
        String file = GoPath.clean(path);
        if (file.equals(".")) {
            return false;
        }
        String parent = GoPath.dir(file);
        String[] parentDirs = parent.split("/");
        boolean matched = false;
        for (Rule r : rules) {
            if (r.exclusion != matched) {
                continue;
            }
            boolean match = r.match(file);
            if (!match && !parent.equals(".")) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < parentDirs.length; i++) {
                    if (i > 0) {
                        sb.append('/');
                    }
                    sb.append(parentDirs[i]);
                    if (r.match(sb.toString())) {
                        match = true;
                        break;
                    }
                }
            }
            if (match) {
                matched = !r.exclusion;
            }
        }
        return matched;
    }

    private static Rule compile(String pattern, boolean exclusion) {
        StringBuilder re = new StringBuilder("^");
        Kind kind = Kind.EXACT;
        int n = pattern.length();
        boolean inClass = false;
        for (int i = 0; i < n; i++) {
            char ch = pattern.charAt(i);
            if (ch == '*') {
                if (i + 1 < n && pattern.charAt(i + 1) == '*') {
                    boolean first = i == 0;
                    i++;
                    if (i + 1 < n && pattern.charAt(i + 1) == '/') {
                        i++;
                    }
                    if (i + 1 >= n) {
                        if (kind == Kind.EXACT) {
                            kind = Kind.PREFIX;
                        } else {
                            re.append(".*");
                            kind = Kind.REGEXP;
                        }
                    } else {
                        re.append("(.*/)?");
                        kind = Kind.REGEXP;
                    }
                    if (first) {
                        kind = Kind.SUFFIX;
                    }
                } else {
                    re.append("[^/]*");
                    kind = Kind.REGEXP;
                }
            } else if (ch == '?') {
                re.append("[^/]");
                kind = Kind.REGEXP;
            } else if (".+()|{}$".indexOf(ch) >= 0 || ch == '^' && !inClass) {
                re.append('\\').append(ch);
            } else if (ch == '\\') {
                if (i + 1 < n) {
                    char next = pattern.charAt(++i);
                    re.append(Character.isLetterOrDigit(next) ? String.valueOf(next) : "\\" + next);
                    kind = Kind.REGEXP;
                } else {
                    re.append("\\\\");
                }
            } else if (ch == '[' || ch == ']') {
                inClass = ch == '[';
                re.append(ch);
                kind = Kind.REGEXP;
            } else {
                re.append(ch);
            }
        }
        Pattern compiled = null;
        if (kind == Kind.REGEXP) {
            re.append('$');
            compiled = Pattern.compile(re.toString(), Pattern.DOTALL);
        }
        return new Rule(pattern, exclusion, kind, compiled);
    }
}
