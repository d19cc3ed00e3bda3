package dev.berth.cli;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A small subset of Go's text/template as used in {@code --format}: {@code {{.A.B}}},
 * {@code {{json .}}}, {@code {{json .A}}}, {@code {{index .A "k"}}}, {@code {{upper .A}}},
 * {@code {{lower .A}}}, {@code {{println}}} and plain text. A {@code table} prefix is handled by
 * the caller ({@link #isTable}). Immutable once parsed; thread-safe.
 */
final class Template {
    private final List<Object> parts = new ArrayList<>(); // String literal or String[] action tokens

    Template(String format) {
        String f = format.replace("\\t", "\t").replace("\\n", "\n");
        int i = 0;
        while (i < f.length()) {
            int open = f.indexOf("{{", i);
            if (open < 0) {
                parts.add(f.substring(i));
                break;
            }
            if (open > i) {
                parts.add(f.substring(i, open));
            }
            int close = f.indexOf("}}", open);
            if (close < 0) {
                throw BerthException.invalid("template parsing error: template: :1: unclosed action");
            }
            String action = f.substring(open + 2, close).trim();
            if (action.startsWith("-")) {
                action = action.substring(1).trim();
            }
            if (action.endsWith("-")) {
                action = action.substring(0, action.length() - 1).trim();
            }
            parts.add(tokens(action));
            i = close + 2;
        }
    }

    static boolean isTable(String format) {
        return format != null && format.startsWith("table");
    }

    /** The format without the {@code table} prefix. */
    static String stripTable(String format) {
        String s = format.substring("table".length());
        return s.startsWith(" ") ? s.substring(1) : s;
    }

    /**
     * Renders against a value: a Map/List tree (as {@link MiniJson} produces), a Jackson tree, or
     * any value Jackson can convert (records).
     */
    String render(Object value) {
        Object ctx = plain(value);
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof String s) {
                sb.append(s);
            } else {
                sb.append(eval((String[]) p, ctx));
            }
        }
        return sb.toString();
    }

    /** Converts the context to Map/List/String/Number/Boolean values, nested records included. */
    private static Object plain(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(v -> out.add(plain(v)));
            return out;
        }
        if (value instanceof JsonNode n) {
            return MiniJson.parse(n.toString());
        }
        return MiniJson.parse(Json.mapper().writeValueAsString(value));
    }

    private static String[] tokens(String action) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < action.length()) {
            char c = action.charAt(i);
            if (c == ' ') {
                i++;
            } else if (c == '"') {
                int end = action.indexOf('"', i + 1);
                out.add(action.substring(i, end + 1));
                i = end + 1;
            } else {
                int end = action.indexOf(' ', i);
                end = end < 0 ? action.length() : end;
                out.add(action.substring(i, end));
                i = end;
            }
        }
        return out.toArray(String[]::new);
    }

    private static final Object MISSING = new Object();

    private static String eval(String[] t, Object ctx) {
        if (t.length == 0) {
            return "";
        }
        return switch (t[0]) {
            case "json" -> {
                Object v = t.length > 1 ? lookup(ctx, t[1]) : ctx;
                yield MiniJson.write(v == MISSING ? null : v);
            }
            case "index" -> {
                Object base = lookup(ctx, t[1]);
                String key = unquote(t[2]);
                yield text(base instanceof Map<?, ?> m ? (m.containsKey(key) ? m.get(key) : MISSING) : MISSING);
            }
            case "upper" -> text(lookup(ctx, t[1])).toUpperCase();
            case "lower" -> text(lookup(ctx, t[1])).toLowerCase();
            case "println" -> (t.length > 1 ? text(lookup(ctx, t[1])) : "") + "\n";
            default -> {
                if (!t[0].startsWith(".")) {
                    throw BerthException.invalid("template: :1: function \"%s\" not defined", t[0]);
                }
                yield text(lookup(ctx, t[0]));
            }
        };
    }

    private static String unquote(String s) {
        return s.startsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static Object lookup(Object ctx, String path) {
        if (path.equals(".")) {
            return ctx;
        }
        Object cur = ctx;
        for (String f : path.substring(1).split("\\.")) {
            if (f.isEmpty()) {
                continue;
            }
            if (!(cur instanceof Map<?, ?> m) || !m.containsKey(f)) {
                return MISSING;
            }
            cur = m.get(f);
        }
        return cur;
    }

    /** Renders a value as Go's fmt would for the common types. */
    static String text(Object v) {
        if (v == MISSING) {
            return "<no value>";
        }
        if (v == null) {
            return "<nil>";
        }
        if (v instanceof List<?> l) {
            List<String> items = new ArrayList<>();
            l.forEach(x -> items.add(text(x)));
            return "[" + String.join(" ", items) + "]";
        }
        if (v instanceof Map<?, ?> m) {
            List<String> keys = new ArrayList<>();
            m.keySet().forEach(k -> keys.add(String.valueOf(k)));
            keys.sort(null);
            List<String> items = new ArrayList<>();
            for (String k : keys) {
                items.add(k + ":" + text(m.get(k)));
            }
            return "map[" + String.join(" ", items) + "]";
        }
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return String.valueOf(d.longValue());
        }
        return String.valueOf(v);
    }
}
