package dev.berth.builder.instructions;

import java.util.ArrayList;
import java.util.List;

/**
 * A strict parser for a JSON array of strings, the exec form of RUN/CMD/ENTRYPOINT/SHELL/…
 * Returns null when the text is not exactly such an array, so that the caller falls back to
 * the shell form as Docker does.
 */
final class JsonArray {
    private final String s;
    private int pos;

    private JsonArray(String s) {
        this.s = s;
    }

    static List<String> parse(String text) {
        String t = text.strip();
        if (!t.startsWith("[")) {
            return null;
        }
        try {
            JsonArray p = new JsonArray(t);
            List<String> out = p.array();
            p.ws();
            return p.pos == t.length() ? out : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private List<String> array() {
        expect('[');
        List<String> out = new ArrayList<>();
        ws();
        if (peek() == ']') {
            pos++;
            return out;
        }
        while (true) {
            ws();
            out.add(string());
            ws();
            char c = s.charAt(pos++);
            if (c == ']') {
                return out;
            }
            if (c != ',') {
                throw new IllegalStateException();
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = s.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw new IllegalStateException("control character in string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = s.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                    pos += 4;
                }
                default -> throw new IllegalStateException("bad escape");
            }
        }
    }

    private void ws() {
        while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private char peek() {
        return s.charAt(pos);
    }

    private void expect(char c) {
        if (s.charAt(pos++) != c) {
            throw new IllegalStateException("expected " + c);
        }
    }
}
