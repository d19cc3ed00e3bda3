package dev.berth.builder.exec;

import java.util.List;

/** Go's fmt verbs the classic builder uses in history text ({@code %q}, {@code %v}). Pure. */
public final class GoFormat {
    private GoFormat() {}

    /** strconv.Quote. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 11 -> sb.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", c));
                    } else {
                        sb.appendCodePoint(c);
                    }
                }
            }
        });
        return sb.append('"').toString();
    }

    /** {@code %q} of a []string: {@code ["a" "b"]}. */
    public static String quoteList(List<String> list) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(quote(list.get(i)));
        }
        return sb.append(']').toString();
    }

    /** {@code %v} of a []string: {@code [a b]}. */
    public static String list(List<String> list) {
        return "[" + String.join(" ", list) + "]";
    }

    /** {@code %q} of an int (strconv.QuoteRune): {@code '\x03'}, {@code 'A'}. */
    public static String quoteRune(int r) {
        return switch (r) {
            case '\'' -> "'\\''";
            case '\\' -> "'\\\\'";
            case 7 -> "'\\a'";
            case '\b' -> "'\\b'";
            case '\f' -> "'\\f'";
            case '\n' -> "'\\n'";
            case '\r' -> "'\\r'";
            case '\t' -> "'\\t'";
            case 11 -> "'\\v'";
            default -> r < 0x20 || r == 0x7f ? String.format("'\\x%02x'", r)
                    : "'" + new String(Character.toChars(r)) + "'";
        };
    }
}
