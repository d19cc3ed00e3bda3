package dev.berth.cli;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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

    /** Renders against a JSON tree, or any value Jackson can turn into one (records, maps). */
    String render(Object value) {
        JsonNode ctx = value instanceof JsonNode n ? n : Json.mapper().valueToTree(value);
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

    private static String eval(String[] t, JsonNode ctx) {
        if (t.length == 0) {
            return "";
        }
        return switch (t[0]) {
            case "json" -> Json.mapper().writeValueAsString(t.length > 1 ? lookup(ctx, t[1]) : ctx);
            case "index" -> {
                JsonNode base = lookup(ctx, t[1]);
                JsonNode v = base == null ? null : base.get(unquote(t[2]));
                yield text(v);
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

    private static JsonNode lookup(JsonNode ctx, String path) {
        if (path.equals(".")) {
            return ctx;
        }
        JsonNode cur = ctx;
        for (String f : path.substring(1).split("\\.")) {
            if (cur == null || f.isEmpty()) {
                return null;
            }
            cur = cur.get(f);
        }
        return cur;
    }

    /** Renders a value as Go's fmt would for the common types. */
    static String text(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "<no value>";
        }
        if (v.isNull()) {
            return "<nil>";
        }
        if (v.isString()) {
            return v.asString();
        }
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(x -> items.add(text(x)));
            return "[" + String.join(" ", items) + "]";
        }
        if (v.isObject()) {
            List<String> items = new ArrayList<>();
            List<String> keys = new ArrayList<>(v.propertyNames());
            keys.sort(null);
            for (String k : keys) {
                items.add(k + ":" + text(v.get(k)));
            }
            return "map[" + String.join(" ", items) + "]";
        }
        return v.toString();
    }

    @SuppressWarnings("unused")
    private static <T> Iterable<T> it(Iterator<T> i) {
        return () -> i;
    }
}
