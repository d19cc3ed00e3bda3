package dev.berth.client;

import dev.berth.common.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds a URL query string; null values are skipped, booleans are sent as 1 only when true. */
public final class Query {
    private final StringBuilder sb = new StringBuilder();

    public static Query of() {
        return new Query();
    }

    public Query add(String key, Object value) {
        if (value == null) {
            return this;
        }
        if (value instanceof Boolean b) {
            if (!b) {
                return this;
            }
            value = "1";
        }
        sb.append(sb.isEmpty() ? '?' : '&').append(enc(key)).append('=').append(enc(String.valueOf(value)));
        return this;
    }

    /** Adds {@code filters} as Docker's JSON {@code {"key":{"value":true}}}; skipped when empty. */
    public Query filters(Map<String, ? extends Collection<String>> filters) {
        if (filters == null || filters.isEmpty()) {
            return this;
        }
        Map<String, Map<String, Boolean>> json = new LinkedHashMap<>();
        filters.forEach((k, vs) -> {
            Map<String, Boolean> m = new LinkedHashMap<>();
            vs.forEach(v -> m.put(v, true));
            json.put(k, m);
        });
        return add("filters", Json.mapper().writeValueAsString(json));
    }

    /** Adds a repeated key, e.g. {@code names=a&names=b}. */
    public Query addAll(String key, Collection<String> values) {
        values.forEach(v -> add(key, v));
        return this;
    }


    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
