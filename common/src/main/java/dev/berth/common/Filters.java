package dev.berth.common;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Docker list filters: the {@code filters} query parameter, JSON of the form
 * {@code {"key":{"value":true}}} or the older {@code {"key":["value"]}}. Immutable.
 */
public record Filters(Map<String, Set<String>> values) {
    public static final Filters NONE = new Filters(Map.of());

    public Filters {
        values = Map.copyOf(values);
    }

    /** Parses the query parameter; null or empty means no filters. Bad JSON is INVALID_ARGUMENT. */
    public static Filters parse(String json) {
        if (json == null || json.isBlank()) {
            return NONE;
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JacksonException e) {
            throw BerthException.invalid("invalid filter: %s", json);
        }
        if (!root.isObject()) {
            throw BerthException.invalid("invalid filter: %s", json);
        }
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (var e : root.properties()) {
            Set<String> vals = new LinkedHashSet<>();
            JsonNode v = e.getValue();
            if (v.isArray()) {
                v.forEach(x -> vals.add(x.asString()));
            } else if (v.isObject()) {
                for (var p : v.properties()) {
                    if (p.getValue().asBoolean(false)) {
                        vals.add(p.getKey());
                    }
                }
            } else {
                throw BerthException.invalid("invalid filter: %s", json);
            }
            out.put(e.getKey(), vals);
        }
        return new Filters(out);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Set<String> get(String key) {
        return values.getOrDefault(key, Set.of());
    }

    /** Rejects keys not in {@code allowed} with Docker's message. */
    public Filters validate(Set<String> allowed) {
        for (String k : values.keySet()) {
            if (!allowed.contains(k)) {
                throw BerthException.invalid("invalid filter '%s'", k);
            }
        }
        return this;
    }
}
