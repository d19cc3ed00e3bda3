package dev.berth.compose.loader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers over the plain-value tree (maps, lists, scalars). Pure utility. */
public final class Values {
    private Values() {}

    @SuppressWarnings("unchecked")
    public static Object deepCopy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, x) -> out.put(k, deepCopy(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(deepCopy(x)));
            return out;
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> deepCopyMap(Map<String, Object> m) {
        return (Map<String, Object>) deepCopy(m);
    }

    /** The map at {@code key}, or an empty unattached map if absent or not a map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object v = parent == null ? null : parent.get(key);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
    }

    /** The map at {@code key}, created and attached if absent. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> mapIn(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        parent.put(key, m);
        return m;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Map<String, Object> parent, String key) {
        Object v = parent == null ? null : parent.get(key);
        return v instanceof List<?> l ? (List<Object>) l : new ArrayList<>();
    }

    public static String str(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return Long.toString(d.longValue());
        }
        return v.toString();
    }

    public static String str(Map<String, Object> m, String key) {
        return m == null ? null : str(m.get(key));
    }

    public static boolean bool(Object v) {
        return v instanceof Boolean b ? b : v != null && v.toString().equalsIgnoreCase("true");
    }
}
