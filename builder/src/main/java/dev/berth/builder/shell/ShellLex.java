package dev.berth.builder.shell;

import dev.berth.common.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Variable substitution for Dockerfile words, as BuildKit's shell lexer does it: {@code $v},
 * {@code ${v}}, {@code ${v:-w}}, {@code ${v-w}}, {@code ${v:+w}}, {@code ${v+w}},
 * {@code ${v:?msg}}, {@code ${v?msg}}, and the pattern forms {@code ${v#p}}, {@code ${v##p}},
 * {@code ${v%p}}, {@code ${v%%p}}, {@code ${v/p/r}}, {@code ${v//p/r}}; single quotes are
 * literal; in double quotes only
 * {@code $} expands; the escape character ({@code \} or {@code `}) escapes the next character.
 * Quotes are removed from the result. Immutable and thread-safe.
 */
public final class ShellLex {
    private static final char EOF = '\uFFFF';
    private final char escape;

    public ShellLex(char escape) {
        this.escape = escape;
    }

    /** Expands one word; quotes are removed and whitespace is kept. */
    public String processWord(String word, Map<String, String> env) {
        return new Run(word, env, false).process().text;
    }

    /** Expands and splits into words on unquoted whitespace (as EXPOSE does). */
    public List<String> processWords(String word, Map<String, String> env) {
        return new Run(word, env, false).process().words;
    }

    /**
     * Expands a here-document body: quotes are ordinary characters, {@code $} expands, and the
     * escape character only escapes {@code $}, itself and newlines (as a shell here-doc does).
     */
    public String processHeredoc(String body, Map<String, String> env) {
        return new Run(body, env, true).process().text;
    }

    private record Result(String text, List<String> words) {}

    /** One expansion; not reusable. */
    private final class Run {
        private final String in;
        private final Map<String, String> env;
        private final boolean heredoc;
        private boolean rawEscapes;
        private int pos;

        Run(String in, Map<String, String> env, boolean heredoc) {
            this.in = in;
            this.env = env;
            this.heredoc = heredoc;
        }

        private char peek() {
            return pos < in.length() ? in.charAt(pos) : EOF;
        }

        private char next() {
            return pos < in.length() ? in.charAt(pos++) : EOF;
        }

        Result process() {
            WordSplitter words = new WordSplitter();
            String text = stopOn(EOF, words).text;
            return new Result(text, words.finish());
        }

        private record Stop(String text, boolean found, char stoppedAt) {}

        private Stop stopOn(char stop, WordSplitter words) {
            return stopOnAny(stop == EOF ? "" : String.valueOf(stop), words);
        }

        private Stop stopOnAny(String stops, WordSplitter words) {
            StringBuilder result = new StringBuilder();
            while (peek() != EOF) {
                char ch = peek();
                if (stops.indexOf(ch) >= 0) {
                    next();
                    return new Stop(result.toString(), true, ch);
                }
                if (!heredoc && ch == '\'') {
                    String s = singleQuote();
                    result.append(s);
                    words.addRaw(s);
                } else if (!heredoc && ch == '"') {
                    String s = doubleQuote();
                    result.append(s);
                    words.addRaw(s);
                } else if (ch == '$') {
                    String s = dollar();
                    result.append(s);
                    words.addSplittable(s);
                } else {
                    ch = next();
                    if (ch == escape && rawEscapes && peek() != EOF) {
                        // a pattern keeps its escapes: "\*" is a literal star for the matcher
                        result.append(ch).append(next());
                        continue;
                    }
                    if (ch == escape) {
                        char n = peek();
                        if (n == EOF) {
                            break;
                        }
                        if (heredoc && n != '$' && n != escape && n != '\n') {
                            // In a here-doc, an escape before other characters stays.
                            result.append(ch);
                            words.addRaw(String.valueOf(ch));
                            continue;
                        }
                        ch = next();
                        if (heredoc && ch == '\n') {
                            continue;
                        }
                        words.addRaw(String.valueOf(ch));
                    } else {
                        words.addChar(ch);
                    }
                    result.append(ch);
                }
            }
            return new Stop(result.toString(), stops.isEmpty(), EOF);
        }

        private String singleQuote() {
            next();
            StringBuilder sb = new StringBuilder();
            while (true) {
                char ch = next();
                if (ch == EOF) {
                    throw BerthException.invalid("unexpected end of statement while looking for matching single-quote");
                }
                if (ch == '\'') {
                    return sb.toString();
                }
                sb.append(ch);
            }
        }

        private String doubleQuote() {
            next();
            StringBuilder sb = new StringBuilder();
            while (true) {
                char ch = peek();
                if (ch == EOF) {
                    throw BerthException.invalid("unexpected end of statement while looking for matching double-quote");
                }
                if (ch == '"') {
                    next();
                    return sb.toString();
                }
                if (ch == '$') {
                    sb.append(dollar());
                    continue;
                }
                ch = next();
                if (ch == escape) {
                    char n = peek();
                    if (n == '"' || n == '$' || n == escape) {
                        ch = next();
                    }
                }
                sb.append(ch);
            }
        }

        private String dollar() {
            next();
            if (peek() != '{') {
                String name = name();
                if (name.isEmpty()) {
                    return "$";
                }
                String v = env.get(name);
                return v == null ? "" : v;
            }
            next();
            String name = name();
            if (name.isEmpty()) {
                throw BerthException.invalid("bad substitution");
            }
            char ch = next();
            String value = env.get(name);
            boolean set = value != null;
            if (ch == '}') {
                return set ? value : "";
            }
            if (ch == EOF) {
                throw BerthException.invalid("syntax error: missing '}'");
            }
            if (ch == '#' || ch == '%' || ch == '/') {
                return patternOp(name, set ? value : "", ch);
            }
            boolean colon = false;
            if (ch == ':') {
                colon = true;
                ch = next();
            }
            char modifier = ch;
            if (modifier != '-' && modifier != '+' && modifier != '?') {
                throw BerthException.invalid("unsupported modifier (" + (colon ? ":" : "") + modifier
                        + ") in substitution");
            }
            Stop w = stopOn('}', new WordSplitter());
            if (!w.found) {
                throw BerthException.invalid("syntax error: missing '}'");
            }
            String word = w.text;
            boolean present = colon ? set && !value.isEmpty() : set;
            return switch (modifier) {
                case '-' -> present ? value : word;
                case '+' -> present ? word : "";
                default -> {
                    if (!present) {
                        String msg = !word.isEmpty() ? word
                                : colon ? "is not allowed to be empty" : "is not allowed to be unset";
                        throw BerthException.invalid("%s: %s", name, msg);
                    }
                    yield value;
                }
            };
        }

        /**
         * {@code ${v#p}}, {@code ${v##p}}, {@code ${v%p}}, {@code ${v%%p}}, {@code ${v/p/r}},
         * {@code ${v//p/r}}: glob patterns where {@code ?} and {@code *} match, {@code \?} and
         * {@code \*} are literal.
         */
        private String patternOp(String name, String value, char op) {
            boolean twice = peek() == op;
            if (twice) {
                next();
            }
            if (op == '/') {
                rawEscapes = true;
                Stop pat = stopOnAny("/}", new WordSplitter());
                rawEscapes = false;
                if (!pat.found) {
                    throw BerthException.invalid("syntax error: missing '}'");
                }
                String repl = "";
                if (pat.stoppedAt == '/') {
                    Stop r = stopOn('}', new WordSplitter());
                    if (!r.found) {
                        throw BerthException.invalid("syntax error: missing '}'");
                    }
                    repl = r.text;
                }
                java.util.regex.Matcher m = globRegex(pat.text).matcher(value);
                String quoted = java.util.regex.Matcher.quoteReplacement(repl);
                return twice ? m.replaceAll(quoted) : m.replaceFirst(quoted);
            }
            rawEscapes = true;
            Stop w = stopOn('}', new WordSplitter());
            rawEscapes = false;
            if (!w.found) {
                throw BerthException.invalid("syntax error: missing '}'");
            }
            java.util.regex.Pattern p = globRegex(w.text);
            int n = value.length();
            if (op == '#') {
                for (int k = 0; k <= n; k++) {
                    int i = twice ? n - k : k;
                    if (p.matcher(value.substring(0, i)).matches()) {
                        return value.substring(i);
                    }
                }
            } else {
                for (int k = 0; k <= n; k++) {
                    int i = twice ? k : n - k;
                    if (p.matcher(value.substring(i)).matches()) {
                        return value.substring(0, i);
                    }
                }
            }
            return value;
        }

        private java.util.regex.Pattern globRegex(String glob) {
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '\\' && i + 1 < glob.length()) {
                    re.append(java.util.regex.Pattern.quote(String.valueOf(glob.charAt(++i))));
                } else if (c == '*') {
                    re.append(".*");
                } else if (c == '?') {
                    re.append('.');
                } else {
                    re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
                }
            }
            return java.util.regex.Pattern.compile(re.toString(), java.util.regex.Pattern.DOTALL);
        }

        private String name() {
            StringBuilder sb = new StringBuilder();
            while (peek() != EOF) {
                char ch = peek();
                if (sb.isEmpty() && Character.isDigit(ch)) {
                    return String.valueOf(next());
                }
                if (!(Character.isLetterOrDigit(ch) || ch == '_')) {
                    break;
                }
                sb.append(next());
            }
            return sb.toString();
        }
    }

    /** Collects words: unquoted whitespace splits, quoted text never does. */
    private static final class WordSplitter {
        private final List<String> words = new ArrayList<>();
        private final StringBuilder cur = new StringBuilder();
        private boolean inWord;

        void addChar(char ch) {
            if (Character.isWhitespace(ch)) {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
                return;
            }
            cur.append(ch);
            inWord = true;
        }

        void addRaw(String s) {
            cur.append(s);
            inWord = true;
        }

        void addSplittable(String s) {
            for (int i = 0; i < s.length(); i++) {
                addChar(s.charAt(i));
            }
        }

        List<String> finish() {
            if (inWord) {
                words.add(cur.toString());
            }
            return List.copyOf(words);
        }
    }
}
