package dev.berth.builder.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Dockerfile text into logical lines ({@link Node}s): parser directives at the top,
 * comments, line continuations with the escape character (comment and blank lines inside a
 * continuation are skipped, as BuildKit does), and here-documents for RUN, COPY and ADD.
 * Stateless and thread-safe.
 */
public final class DockerfileParser {
    private static final Pattern DIRECTIVE =
            Pattern.compile("^#[ \\t]*([a-zA-Z][a-zA-Z0-9]*)[ \\t]*=[ \\t]*(.+?)[ \\t]*$");
    private static final Set<String> KNOWN_DIRECTIVES = Set.of("syntax", "escape", "check");
    private static final Set<String> HEREDOC_COMMANDS = Set.of("run", "copy", "add");
    private static final Pattern HEREDOC_WORD = Pattern.compile("^(\\d*)<<(-?)([^<].*)$");

    /** The result: directives plus the logical lines in order. */
    public record Result(Directives directives, List<Node> nodes) {
        public Result {
            nodes = List.copyOf(nodes);
        }
    }

    public Result parse(String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].endsWith("\r")) {
                lines[i] = lines[i].substring(0, lines[i].length() - 1);
            }
        }
        Directives directives = parseDirectives(lines);
        char escape = directives.escape();
        Pattern continuation = Pattern.compile(Pattern.quote(String.valueOf(escape)) + "[ \\t]*$");

        List<Node> nodes = new ArrayList<>();
        int i = 0;
        int n = lines.length;
        while (i < n) {
            String trimmed = lines[i].stripLeading();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                i++;
                continue;
            }
            int startLine = i + 1;
            StringBuilder logical = new StringBuilder();
            String cur = trimmed;
            while (true) {
                Matcher m = continuation.matcher(cur);
                if (!m.find()) {
                    logical.append(cur);
                    break;
                }
                logical.append(cur, 0, m.start());
                i++;
                while (i < n) {
                    String t = lines[i].stripLeading();
                    if (t.isEmpty() || t.startsWith("#")) {
                        i++;
                        continue;
                    }
                    break;
                }
                if (i >= n) {
                    i = n - 1;
                    break;
                }
                cur = lines[i];
            }
            String line = logical.toString().strip();
            int endLine = i + 1;
            i++;
            if (line.isEmpty()) {
                continue;
            }
            String[] split = line.split("\\s+", 2);
            String keyword = split[0];
            String after = split.length > 1 ? split[1] : "";
            Words.FlagsAndRest fr = Words.extractFlags(after);
            List<Heredoc> heredocs = new ArrayList<>();
            String cmd = keyword.toLowerCase(Locale.ROOT);
            if (HEREDOC_COMMANDS.contains(cmd)) {
                for (HeredocMarker marker : heredocMarkers(fr.rest(), escape)) {
                    StringBuilder body = new StringBuilder();
                    boolean terminated = false;
                    while (i < n) {
                        String l = lines[i];
                        i++;
                        if (marker.chomp) {
                            l = l.replaceFirst("^\\t+", "");
                        }
                        if (l.equals(marker.name)) {
                            terminated = true;
                            break;
                        }
                        body.append(l).append('\n');
                    }
                    if (!terminated) {
                        throw new DockerfileParseException(startLine, "unterminated heredoc " + marker.name);
                    }
                    heredocs.add(new Heredoc(marker.name, body.toString(), marker.expand, marker.chomp, marker.fd));
                    endLine = i;
                }
            }
            nodes.add(new Node(keyword, fr.flags(), fr.rest(), line, heredocs, startLine, endLine));
        }
        return new Result(directives, nodes);
    }

    private static Directives parseDirectives(String[] lines) {
        String syntax = null;
        String check = null;
        Character escape = null;
        for (String line : lines) {
            Matcher m = DIRECTIVE.matcher(line);
            if (!m.matches()) {
                break;
            }
            String key = m.group(1).toLowerCase(Locale.ROOT);
            String value = m.group(2);
            if (!KNOWN_DIRECTIVES.contains(key)) {
                break;
            }
            boolean seen = switch (key) {
                case "syntax" -> syntax != null;
                case "escape" -> escape != null;
                default -> check != null;
            };
            if (seen) {
                throw new DockerfileParseException(1, "only one " + key + " parser directive can be used");
            }
            switch (key) {
                case "syntax" -> syntax = value;
                case "check" -> check = value;
                default -> {
                    if (!value.equals("`") && !value.equals("\\")) {
                        throw new DockerfileParseException(1,
                                "invalid escape token '" + value + "' does not match ` or \\");
                    }
                    escape = value.charAt(0);
                }
            }
        }
        return new Directives(syntax, escape == null ? '\\' : escape, check);
    }

    private record HeredocMarker(String name, boolean expand, boolean chomp, int fd) {}

    /** Finds {@code <<WORD} markers among the shell words of the line, in order. */
    private static List<HeredocMarker> heredocMarkers(String rest, char escape) {
        List<HeredocMarker> out = new ArrayList<>();
        if (!rest.contains("<<")) {
            return out;
        }
        for (String word : Words.split(rest, escape)) {
            Matcher m = HEREDOC_WORD.matcher(word);
            if (!m.matches()) {
                continue;
            }
            String raw = m.group(3);
            boolean quoted = raw.indexOf('"') >= 0 || raw.indexOf('\'') >= 0;
            String name = unquote(raw, escape);
            if (name.isEmpty()) {
                continue;
            }
            int fd = m.group(1).isEmpty() ? -1 : Integer.parseInt(m.group(1));
            out.add(new HeredocMarker(name, !quoted, !m.group(2).isEmpty(), fd));
        }
        return out;
    }

    private static String unquote(String raw, char escape) {
        StringBuilder sb = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (quote != 0 && c == quote) {
                quote = 0;
            } else if (c == escape && quote != '\'' && i + 1 < raw.length()) {
                sb.append(raw.charAt(++i));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** True when {@code rest} is exactly one heredoc marker and nothing else (e.g. {@code <<EOF}). */
    public static boolean isOnlyHeredoc(String rest, char escape) {
        List<String> words = Words.split(rest, escape);
        return words.size() == 1 && HEREDOC_WORD.matcher(words.getFirst()).matches();
    }

    /** True when the word is a heredoc marker such as {@code <<EOF} or {@code <<-"EOF"}. */
    public static boolean isHeredocWord(String word) {
        return HEREDOC_WORD.matcher(word).matches();
    }

    /** The heredoc name a marker word refers to, without quotes. */
    public static String heredocName(String word, char escape) {
        Matcher m = HEREDOC_WORD.matcher(word);
        if (!m.matches()) {
            throw new IllegalArgumentException(word);
        }
        return unquote(m.group(3), escape);
    }
}
