package dev.berth.common;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command string into words the way a POSIX shell's lexer does: single and double
 * quotes, backslash escapes, no expansion. Used for Dockerfile-style {@code --change} values and
 * Compose's string commands, which both follow these rules. Stateless.
 */
public final class ShellWords {
    private ShellWords() {}

    /** Words split on unquoted whitespace, quotes and escapes removed. Unbalanced quotes are INVALID_ARGUMENT. */
    public static List<String> split(String s) {
        return lex(s, false);
    }

    /** The string with quotes and escapes removed, whitespace kept (one word). */
    public static String unquote(String s) {
        List<String> w = lex(s, true);
        return w.isEmpty() ? "" : w.getFirst();
    }

    private static List<String> lex(String s, boolean keepSpaces) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < s.length() && "\"\\$`".indexOf(s.charAt(i + 1)) >= 0) {
                    cur.append(s.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c) && !keepSpaces) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw BerthException.invalid("unexpected end of statement while looking for matching %s", String.valueOf(quote));
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }
}
