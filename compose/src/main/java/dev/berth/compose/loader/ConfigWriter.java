package dev.berth.compose.loader;

import dev.berth.common.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Renders a project model as {@code docker compose config} does: YAML in block style, top-level
 * keys in the order name, services, networks, volumes, secrets, configs, x-*, everything below
 * sorted by key; or JSON. Pure utility.
 */
public final class ConfigWriter {
    private static final List<String> TOP = List.of("name", "services", "networks", "volumes", "secrets", "configs");

    private ConfigWriter() {}

    public static String yaml(Map<String, Object> model) {
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2)
                .setIndicatorIndent(2).setIndentWithIndicator(true).setWidth(Integer.MAX_VALUE).build();
        return new Dump(settings).dumpToString(ordered(model));
    }

    public static String json(Map<String, Object> model) {
        return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(ordered(model));
    }

    static Map<String, Object> ordered(Map<String, Object> model) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : TOP) {
            if (model.containsKey(k) && !(model.get(k) instanceof Map<?, ?> m && m.isEmpty() && !k.equals("services"))) {
                out.put(k, sorted(model.get(k)));
            }
        }
        model.forEach((k, v) -> {
            if (!TOP.contains(k)) {
                out.put(k, sorted(v));
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    static Object sorted(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            ((Map<String, Object>) m).forEach((k, x) -> out.put(k, sorted(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(sorted(x)));
            return out;
        }
        return v;
    }
}
