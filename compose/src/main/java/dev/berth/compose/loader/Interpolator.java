package dev.berth.compose.loader;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Compose variable interpolation on every string value of a tree: {@code $VAR}, {@code ${VAR}},
 * {@code ${VAR:-default}} (unset or empty), {@code ${VAR-default}} (unset), {@code ${VAR:?err}},
 * {@code ${VAR?err}}, {@code ${VAR:+replacement}}, {@code ${VAR+replacement}}, and {@code $$} for a
 * literal dollar. Defaults may themselves contain interpolations. Keys are not interpolated
 * (as in Compose). Unset variables without default become "" (Compose warns). Stateless.
 */
public final class Interpolator {
    private final Function<String, String> lookup;
    private final List<String> warnings = new ArrayList<>();

    public Interpolator(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    public List<String> warnings() {
        return warnings;
    }

    @SuppressWarnings("unchecked")
    public Object interpolateTree(Object v, String path, YamlTree.Parsed source) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, x) -> out.put(k, interpolateTree(x, YamlTree.join(path, k), source)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                out.add(interpolateTree(l.get(i), YamlTree.join(path, Integer.toString(i)), source));
            }
            return out;
        }
        if (v instanceof String s && s.indexOf('$') >= 0) {
            try {
                return interpolate(s);
            } catch (BerthException e) {
                String where = source == null ? path : source.where(path) + ": " + path;
                throw new BerthException(ErrorKind.INVALID_ARGUMENT, where + ": " + e.getMessage(), e);
            }
        }
        return v;
    }

    /** Interpolates one string. */
    public String interpolate(String s) {
        StringBuilder out = new StringBuilder();
        int end = parse(s, 0, out, false);
        if (end != s.length()) {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "invalid interpolation format for \"" + s + "\"");
        }
        return out.toString();
    }

    /** Appends the expansion of s[from..] to out; stops at an unmatched '}' when nested. */
    private int parse(String s, int i, StringBuilder out, boolean nested) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (nested && c == '}') {
                return i;
            }
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= s.length()) {
                out.append('$');
                return i + 1;
            }
            char n = s.charAt(i + 1);
            if (n == '$') {
                out.append('$');
                i += 2;
            } else if (n == '{') {
                i = braced(s, i + 2, out);
            } else if (Character.isLetter(n) || n == '_') {
                int j = i + 1;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                String v = lookup.apply(s.substring(i + 1, j));
                if (v == null) {
                    warnings.add("The \"" + s.substring(i + 1, j) + "\" variable is not set. Defaulting to a blank string.");
                }
                out.append(v == null ? "" : v);
                i = j;
            } else {
                throw new BerthException(ErrorKind.INVALID_ARGUMENT, "invalid interpolation format for \"" + s + "\"");
            }
        }
        if (nested) {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "invalid interpolation format for \"" + s + "\": missing }");
        }
        return i;
    }

    private int braced(String s, int i, StringBuilder out) {
        int j = i;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '.')) {
            j++;
        }
        String name = s.substring(i, j);
        if (name.isEmpty() || j >= s.length()) {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "invalid interpolation format for \"" + s + "\"");
        }
        String value = lookup.apply(name);
        char c = s.charAt(j);
        if (c == '}') {
            if (value == null) {
                warnings.add("The \"" + name + "\" variable is not set. Defaulting to a blank string.");
            }
            out.append(value == null ? "" : value);
            return j + 1;
        }
        boolean colon = c == ':';
        int op = colon ? j + 1 : j;
        if (op >= s.length()) {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "invalid interpolation format for \"" + s + "\"");
        }
        char kind = s.charAt(op);
        if (kind != '-' && kind != '?' && kind != '+') {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "invalid interpolation format for \"" + s + "\"");
        }
        StringBuilder arg = new StringBuilder();
        int close = parse(s, op + 1, arg, true);
        boolean missing = value == null || (colon && value.isEmpty());
        switch (kind) {
            case '-' -> out.append(missing ? arg : value);
            case '+' -> out.append(missing ? "" : arg);
            default -> {
                if (missing) {
                    String msg = arg.isEmpty() ? "required variable " + name + " is missing a value"
                            : "required variable " + name + " is missing a value: " + arg;
                    throw new BerthException(ErrorKind.INVALID_ARGUMENT, msg);
                }
                out.append(value);
            }
        }
        return close + 1;
    }
}
