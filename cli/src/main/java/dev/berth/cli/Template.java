package dev.berth.cli;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The subset of Go's text/template people use in {@code --format}: fields ({@code {{.A.B}}}),
 * {@code {{json .}}}, {@code {{index .A "k"}}}, {@code {{join .A ", "}}}, {@code {{upper}}},
 * {@code {{lower}}}, {@code {{title}}}, {@code {{len}}}, {@code {{println}}}, pipelines
 * ({@code {{.A | json}}}), {@code {{range .X}}…{{end}}} (with {@code $k, $v :=}),
 * {@code {{if .X}}…{{else}}…{{end}}} and plain text. A {@code table} prefix is handled by the
 * caller ({@link #isTable}). Immutable once parsed; thread-safe.
 */
final class Template {
    private sealed interface Node permits Text, Action, Range, If {}

    private record Text(String text) implements Node {}

    private record Action(String[] tokens) implements Node {}

    private record Range(String keyVar, String valVar, String[] expr, List<Node> body) implements Node {}

    private record If(String[] expr, List<Node> then, List<Node> otherwise) implements Node {}

    private static final Object MISSING = new Object();
    private final List<Node> nodes;

    Template(String format) {
        String f = format.replace("\\t", "\t").replace("\\n", "\n");
        List<Object> flat = new ArrayList<>(); // String text or String[] action tokens
        int i = 0;
        while (i < f.length()) {
            int open = f.indexOf("{{", i);
            if (open < 0) {
                flat.add(f.substring(i));
                break;
            }
            int close = f.indexOf("}}", open);
            if (close < 0) {
                throw BerthException.invalid("failed to parse template: template: :1: unclosed action");
            }
            String text = f.substring(i, open);
            String action = f.substring(open + 2, close).trim();
            if (action.startsWith("-")) {
                action = action.substring(1).trim();
                text = text.stripTrailing();
            }
            if (!text.isEmpty()) {
                flat.add(text);
            }
            i = close + 2;
            if (action.endsWith("-")) {
                action = action.substring(0, action.length() - 1).trim();
                while (i < f.length() && Character.isWhitespace(f.charAt(i))) {
                    i++;
                }
            }
            flat.add(tokens(action));
        }
        int[] pos = {0};
        nodes = parse(flat, pos, false);
        if (pos[0] < flat.size()) {
            throw BerthException.invalid("failed to parse template: template: :1: unexpected {{end}}");
        }
    }

    private static List<Node> parse(List<Object> flat, int[] pos, boolean inBlock) {
        List<Node> out = new ArrayList<>();
        while (pos[0] < flat.size()) {
            Object o = flat.get(pos[0]);
            if (o instanceof String s) {
                out.add(new Text(s));
                pos[0]++;
                continue;
            }
            String[] t = (String[]) o;
            String head = t.length == 0 ? "" : t[0];
            if (head.equals("end") || head.equals("else")) {
                if (!inBlock) {
                    throw BerthException.invalid("failed to parse template: template: :1: unexpected {{%s}}", head);
                }
                return out;
            }
            pos[0]++;
            if (head.equals("range")) {
                String k = null;
                String v = null;
                String[] expr = java.util.Arrays.copyOfRange(t, 1, t.length);
                int assign = java.util.Arrays.asList(expr).indexOf(":=");
                if (assign >= 0) {
                    List<String> vars = new ArrayList<>();
                    for (int j = 0; j < assign; j++) {
                        vars.add(expr[j].replace(",", ""));
                    }
                    v = vars.getLast();
                    k = vars.size() > 1 ? vars.getFirst() : null;
                    expr = java.util.Arrays.copyOfRange(expr, assign + 1, expr.length);
                }
                List<Node> body = parse(flat, pos, true);
                expectEnd(flat, pos);
                out.add(new Range(k, v, expr, body));
            } else if (head.equals("if")) {
                List<Node> then = parse(flat, pos, true);
                List<Node> otherwise = List.of();
                if (pos[0] < flat.size() && ((String[]) flat.get(pos[0]))[0].equals("else")) {
                    pos[0]++;
                    otherwise = parse(flat, pos, true);
                }
                expectEnd(flat, pos);
                out.add(new If(java.util.Arrays.copyOfRange(t, 1, t.length), then, otherwise));
            } else {
                out.add(new Action(t));
            }
        }
        if (inBlock) {
            throw BerthException.invalid("failed to parse template: template: :1: unexpected EOF");
        }
        return out;
    }

    private static void expectEnd(List<Object> flat, int[] pos) {
        if (pos[0] >= flat.size() || !((String[]) flat.get(pos[0]))[0].equals("end")) {
            throw BerthException.invalid("failed to parse template: template: :1: unexpected EOF");
        }
        pos[0]++;
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
        StringBuilder sb = new StringBuilder();
        run(nodes, plain(value), new HashMap<>(), sb);
        return sb.toString();
    }

    private static void run(List<Node> body, Object dot, Map<String, Object> vars, StringBuilder sb) {
        // instanceof chains, not a pattern switch: a type switch bootstraps invokedynamic at first
        // use, which costs milliseconds of CLI start-up.
        for (Node n : body) {
            if (n instanceof Text t) {
                sb.append(t.text());
            } else if (n instanceof Action a) {
                Object v = pipeline(a.tokens(), dot, vars);
                sb.append(v instanceof Raw r ? r.s() : text(v));
            } else if (n instanceof If i) {
                run(truthy(pipeline(i.expr(), dot, vars)) ? i.then() : i.otherwise(), dot, vars, sb);
            } else if (n instanceof Range r) {
                Object over = pipeline(r.expr(), dot, vars);
                if (over instanceof Map<?, ?> m) {
                    List<String> keys = new ArrayList<>();
                    for (Object k : m.keySet()) {
                        keys.add(String.valueOf(k));
                    }
                    java.util.Collections.sort(keys);
                    for (String k : keys) {
                        iterate(r, k, m.get(k), vars, sb);
                    }
                } else if (over instanceof List<?> l) {
                    for (int i = 0; i < l.size(); i++) {
                        iterate(r, (long) i, l.get(i), vars, sb);
                    }
                } else if (over != null && over != MISSING) {
                    throw BerthException.invalid("template: :1: range can't iterate over %s", text(over));
                }
            }
        }
    }

    private static void iterate(Range r, Object key, Object val, Map<String, Object> vars, StringBuilder sb) {
        Map<String, Object> scope = new HashMap<>(vars);
        if (r.valVar() != null) {
            scope.put(r.valVar(), val);
        }
        if (r.keyVar() != null) {
            scope.put(r.keyVar(), key);
        }
        run(r.body(), val, scope, sb);
    }

    /** Text already rendered (println output) that must not be formatted again. */
    private record Raw(String s) {}

    private static boolean truthy(Object v) {
        return !(v == null || v == MISSING || Boolean.FALSE.equals(v) || "".equals(v)
                || (v instanceof Number n && n.doubleValue() == 0)
                || (v instanceof List<?> l && l.isEmpty()) || (v instanceof Map<?, ?> m && m.isEmpty()));
    }

    /** Evaluates {@code a | b c | d}: each later command gets the previous value as last argument. */
    private static Object pipeline(String[] tokens, Object dot, Map<String, Object> vars) {
        List<List<String>> cmds = new ArrayList<>();
        cmds.add(new ArrayList<>());
        for (String t : tokens) {
            if (t.equals("|")) {
                cmds.add(new ArrayList<>());
            } else {
                cmds.getLast().add(t);
            }
        }
        Object v = MISSING;
        boolean first = true;
        for (List<String> c : cmds) {
            v = command(c, dot, vars, first ? null : v, !first);
            first = false;
        }
        return v;
    }

    private static Object command(List<String> t, Object dot, Map<String, Object> vars, Object piped, boolean hasPiped) {
        if (t.isEmpty()) {
            return "";
        }
        List<Object> args = new ArrayList<>();
        for (int i = 1; i < t.size(); i++) {
            args.add(operand(t.get(i), dot, vars));
        }
        if (hasPiped) {
            args.add(piped);
        }
        String fn = t.getFirst();
        return switch (fn) {
            case "json" -> new Raw(MiniJson.write(arg(args, 0, dot) == MISSING ? null : arg(args, 0, dot)));
            case "index" -> {
                Object base = arg(args, 0, dot);
                for (int i = 1; i < args.size(); i++) {
                    Object k = args.get(i);
                    if (base instanceof Map<?, ?> m) {
                        base = m.containsKey(String.valueOf(k)) ? m.get(String.valueOf(k)) : MISSING;
                    } else if (base instanceof List<?> l && k instanceof Number n && n.intValue() < l.size()) {
                        base = l.get(n.intValue());
                    } else {
                        base = MISSING;
                    }
                }
                yield base;
            }
            case "join" -> {
                Object list = args.isEmpty() ? MISSING : args.get(0);
                String sep = args.size() > 1 ? String.valueOf(args.get(1)) : "";
                List<String> items = new ArrayList<>();
                if (list instanceof List<?> l) {
                    l.forEach(x -> items.add(text(x)));
                }
                yield String.join(sep, items);
            }
            case "upper" -> text(arg(args, 0, dot)).toUpperCase();
            case "lower" -> text(arg(args, 0, dot)).toLowerCase();
            case "title" -> {
                String s = text(arg(args, 0, dot));
                yield s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
            }
            case "len" -> {
                Object v = arg(args, 0, dot);
                yield (long) (v instanceof List<?> l ? l.size() : v instanceof Map<?, ?> m ? m.size() : text(v).length());
            }
            case "split" -> List.of((Object[]) text(args.get(0)).split(java.util.regex.Pattern.quote(text(args.get(1))), -1));
            case "println" -> new Raw((args.isEmpty() ? "" : text(args.getFirst())) + "\n");
            case "print" -> new Raw(args.isEmpty() ? "" : text(args.getFirst()));
            default -> {
                if (!(fn.startsWith(".") || fn.startsWith("$") || fn.startsWith("\"") || Character.isDigit(fn.charAt(0)))) {
                    throw BerthException.invalid("failed to parse template: template: :1: function \"%s\" not defined", fn);
                }
                yield operand(fn, dot, vars);
            }
        };
    }

    private static Object arg(List<Object> args, int i, Object dot) {
        return i < args.size() ? args.get(i) : dot;
    }

    private static Object operand(String t, Object dot, Map<String, Object> vars) {
        if (t.startsWith("\"")) {
            return t.substring(1, t.length() - 1);
        }
        if (!t.isEmpty() && Character.isDigit(t.charAt(0))) {
            return Long.parseLong(t);
        }
        if (t.startsWith("$")) {
            int dotAt = t.indexOf('.');
            String name = dotAt < 0 ? t : t.substring(0, dotAt);
            Object base = name.equals("$") ? dot : vars.getOrDefault(name, MISSING);
            return dotAt < 0 ? base : lookup(base, t.substring(dotAt));
        }
        if (t.startsWith(".")) {
            return lookup(dot, t);
        }
        throw BerthException.invalid("failed to parse template: template: :1: function \"%s\" not defined", t);
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
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '"') {
                int end = i + 1;
                StringBuilder sb = new StringBuilder("\"");
                while (end < action.length() && action.charAt(end) != '"') {
                    char ch = action.charAt(end);
                    if (ch == '\\' && end + 1 < action.length()) {
                        char nx = action.charAt(++end);
                        sb.append(nx == 'n' ? '\n' : nx == 't' ? '\t' : nx);
                    } else {
                        sb.append(ch);
                    }
                    end++;
                }
                if (end >= action.length()) {
                    throw BerthException.invalid("failed to parse template: template: :1: unterminated quoted string");
                }
                out.add(sb.append('"').toString());
                i = end + 1;
            } else {
                int end = i;
                while (end < action.length() && action.charAt(end) != ' ' && action.charAt(end) != '\t') {
                    end++;
                }
                out.add(action.substring(i, end));
                i = end;
            }
        }
        return out.toArray(String[]::new);
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
        if (v instanceof Raw r) {
            return r.s();
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
