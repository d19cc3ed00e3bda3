package dev.berth.builder.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits instruction arguments into words the way BuildKit's {@code parseWords} does: whitespace
 * outside quotes separates words, and quotes and escape characters are kept in the word (they
 * are removed later by variable substitution). Pure utility.
 */
public final class Words {
    private Words() {}

    public static List<String> split(String rest, char escape) {
        List<String> words = new ArrayList<>();
        final int inSpaces = 0, inWord = 1, inQuote = 2;
        int phase = inSpaces;
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean blankOk = false;
        int n = rest.length();
        for (int pos = 0; pos <= n; pos++) {
            char ch = pos < n ? rest.charAt(pos) : 0;
            if (phase == inSpaces) {
                if (pos == n) {
                    break;
                }
                if (Character.isWhitespace(ch)) {
                    continue;
                }
                phase = inWord;
            }
            if (pos == n) {
                if (blankOk || !word.isEmpty()) {
                    words.add(word.toString());
                }
                break;
            }
            if (phase == inWord) {
                if (Character.isWhitespace(ch)) {
                    phase = inSpaces;
                    if (blankOk || !word.isEmpty()) {
                        words.add(word.toString());
                    }
                    word.setLength(0);
                    blankOk = false;
                    continue;
                }
                if (ch == '\'' || ch == '"') {
                    quote = ch;
                    blankOk = true;
                    phase = inQuote;
                }
                if (ch == escape) {
                    if (pos + 1 == n) {
                        continue;
                    }
                    // An escape outside quotes keeps itself and the next char, even a quote.
                    word.append(ch);
                    pos++;
                    ch = rest.charAt(pos);
                }
                word.append(ch);
                continue;
            }
            // inQuote
            if (ch == quote) {
                phase = inWord;
            }
            if (ch == escape && quote != '\'') {
                if (pos + 1 == n) {
                    phase = inWord;
                    continue;
                }
                pos++;
                word.append(ch);
                ch = rest.charAt(pos);
            }
            word.append(ch);
        }
        return words;
    }

    /** Splits on runs of whitespace, dropping empty words (Go's strings.Fields). */
    public static List<String> fields(String s) {
        List<String> out = new ArrayList<>();
        for (String w : s.strip().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /**
     * Extracts leading {@code --flag[=value]} words (BuildKit's extractBuilderFlags). Quotes in
     * a flag word are removed and {@code \} escapes the next character. A bare {@code --} ends the
     * flags.
     *
     * @return the flags and the remaining text
     */
    public static FlagsAndRest extractFlags(String line) {
        List<String> words = new ArrayList<>();
        final int inSpaces = 0, inWord = 1, inQuote = 2;
        int phase = inSpaces;
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean blankOk = false;
        int n = line.length();
        for (int pos = 0; pos <= n; pos++) {
            char ch = pos < n ? line.charAt(pos) : 0;
            if (phase == inSpaces) {
                if (pos == n) {
                    break;
                }
                if (Character.isWhitespace(ch)) {
                    continue;
                }
                if (ch != '-' || pos + 1 == n || line.charAt(pos + 1) != '-') {
                    return new FlagsAndRest(words, line.substring(pos));
                }
                phase = inWord;
            }
            if (pos == n) {
                if (!word.toString().equals("--") && (blankOk || !word.isEmpty())) {
                    words.add(word.toString());
                }
                break;
            }
            if (phase == inWord) {
                if (Character.isWhitespace(ch)) {
                    phase = inSpaces;
                    if (word.toString().equals("--")) {
                        return new FlagsAndRest(words, line.substring(pos).stripLeading());
                    }
                    if (blankOk || !word.isEmpty()) {
                        words.add(word.toString());
                    }
                    word.setLength(0);
                    blankOk = false;
                    continue;
                }
                if (ch == '\'' || ch == '"') {
                    quote = ch;
                    blankOk = true;
                    phase = inQuote;
                    continue;
                }
                if (ch == '\\') {
                    if (pos + 1 == n) {
                        continue;
                    }
                    pos++;
                    ch = line.charAt(pos);
                }
                word.append(ch);
                continue;
            }
            if (ch == quote) {
                phase = inWord;
                continue;
            }
            if (ch == '\\') {
                if (pos + 1 == n) {
                    phase = inWord;
                    continue;
                }
                pos++;
                ch = line.charAt(pos);
            }
            word.append(ch);
        }
        return new FlagsAndRest(words, "");
    }

    /** Result of {@link #extractFlags}. */
    public record FlagsAndRest(List<String> flags, String rest) {
        public FlagsAndRest {
            flags = List.copyOf(flags);
        }
    }
}
