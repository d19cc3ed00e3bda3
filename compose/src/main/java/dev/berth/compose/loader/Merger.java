package dev.berth.compose.loader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Merges Compose documents in the specification's order (later files override earlier ones), on
 * normalized (long-syntax) trees: mappings merge recursively; {@code command}, {@code entrypoint}
 * and {@code healthcheck.test} are replaced; {@code volumes} and {@code devices} merge by target,
 * {@code secrets}/{@code configs} by target (or source); {@code ports} by (host_ip, target,
 * published, protocol); other sequences are concatenated without duplicates. Pure utility.
 */
public final class Merger {
    private static final Set<String> REPLACED = Set.of("command", "entrypoint", "test", "cap_add_replace");

    private Merger() {}

    @SuppressWarnings("unchecked")
    public static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> out = Values.deepCopyMap(base);
        for (var e : override.entrySet()) {
            String k = e.getKey();
            Object o = Values.deepCopy(e.getValue());
            Object b = out.get(k);
            if (b instanceof Map<?, ?> bm && o instanceof Map<?, ?> om) {
                out.put(k, merge((Map<String, Object>) bm, (Map<String, Object>) om));
            } else if (b instanceof List<?> bl && o instanceof List<?> ol && !REPLACED.contains(k)) {
                out.put(k, mergeList(k, (List<Object>) bl, (List<Object>) ol));
            } else {
                out.put(k, o);
            }
        }
        return out;
    }

    private static List<Object> mergeList(String key, List<Object> base, List<Object> override) {
        List<Object> out = new ArrayList<>(base);
        for (Object o : override) {
            Object k = keyOf(key, o);
            int found = -1;
            for (int i = 0; i < out.size(); i++) {
                if (Objects.equals(keyOf(key, out.get(i)), k)) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                out.add(o);
            } else if (out.get(found) instanceof Map<?, ?> bm && o instanceof Map<?, ?> om) {
                out.set(found, merge(Normalizer.cast(bm), Normalizer.cast(om)));
            } else {
                out.set(found, o);
            }
        }
        return out;
    }

    private static Object keyOf(String listKey, Object item) {
        if (!(item instanceof Map<?, ?> m)) {
            if ("devices".equals(listKey) && item instanceof String s) {
                String[] p = s.split(":");
                return p.length > 1 ? p[1] : p[0];
            }
            return item;
        }
        return switch (listKey) {
            case "volumes" -> m.get("target");
            case "secrets", "configs" -> m.get("target") != null ? m.get("target") : m.get("source");
            case "ports" -> List.of(String.valueOf(m.get("host_ip")), String.valueOf(m.get("target")),
                    String.valueOf(m.get("published")), String.valueOf(m.get("protocol")));
            default -> new LinkedHashMap<>(m);
        };
    }
}
