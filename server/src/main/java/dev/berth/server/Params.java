package dev.berth.server;

import dev.berth.common.BerthException;
import dev.berth.common.Filters;
import dev.berth.common.Json;
import dev.berth.http.HttpExchange;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Query and body helpers shared by the routers. Pure utility. */
final class Params {
    private Params() {}

    static Filters filters(HttpExchange ex) {
        return Filters.parse(ex.query("filters"));
    }

    /** A required path or query value; missing is INVALID_ARGUMENT. */
    static String required(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw BerthException.invalid("%s cannot be empty", what);
        }
        return value;
    }

    static int requiredInt(HttpExchange ex, String name) {
        Integer v = ex.queryInt(name);
        if (v == null) {
            throw BerthException.invalid("invalid value for %s: empty", name);
        }
        return v;
    }

    /**
     * A timestamp as the CLI sends it ({@code 1700000000}, {@code 1700000000.123456789}) or
     * RFC 3339; 0 when absent.
     */
    static double timestamp(HttpExchange ex, String name) {
        String v = ex.query(name);
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            try {
                Instant t = OffsetDateTime.parse(v.trim()).toInstant();
                return t.getEpochSecond() + t.getNano() / 1e9;
            } catch (DateTimeParseException e2) {
                throw BerthException.invalid("invalid value for %s: %s", name, v);
            }
        }
    }

    /** A member of a JSON object, matched case-insensitively as Go does; null when absent or JSON null. */
    static JsonNode child(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode exact = node.get(name);
        if (exact != null) {
            return exact.isNull() ? null : exact;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue().isNull() ? null : e.getValue();
            }
        }
        return null;
    }

    static <T> T convert(JsonNode node, Class<T> type) {
        return node == null ? null : Json.mapper().treeToValue(node, type);
    }
}
