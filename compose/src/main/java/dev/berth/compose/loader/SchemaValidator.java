package dev.berth.compose.loader;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Validates a Compose document (after interpolation) against the Compose Specification JSON
 * schema bundled as {@code compose-spec.json}. Supports the keywords that schema uses: $ref,
 * type, properties, patternProperties, additionalProperties, required, items, oneOf/anyOf, enum,
 * minimum/maximum, pattern. Because interpolation produces strings, a string that parses as the
 * wanted number/boolean is accepted (Compose casts it later). Errors name file, line and field.
 * Immutable after construction; thread-safe.
 */
public final class SchemaValidator {
    private final JsonNode schema;
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    public SchemaValidator(JsonNode schema) {
        this.schema = schema;
    }

    public static SchemaValidator bundled() {
        try (InputStream in = SchemaValidator.class.getResourceAsStream("/dev/berth/compose/compose-spec.json")) {
            return new SchemaValidator(Json.mapper().readTree(in));
        } catch (IOException e) {
            throw new BerthException(ErrorKind.INTERNAL, "cannot read the bundled compose schema", e);
        }
    }

    /** One violation: the dotted path and the message. */
    public record Violation(String path, String message, String at) {
        public Violation(String path, String message) {
            this(path, message, path);
        }
    }

    /** Throws INVALID_ARGUMENT naming file:line and field for the first violation. */
    public void validate(YamlTree.Parsed source, Object document) {
        List<Violation> v = check(document);
        if (!v.isEmpty()) {
            Violation first = v.getFirst();
            String field = first.path().isEmpty() ? "(root)" : first.path();
            throw new BerthException(ErrorKind.INVALID_ARGUMENT,
                    "validating " + source.where(first.at()) + ": " + field + " " + first.message());
        }
    }

    public List<Violation> check(Object document) {
        List<Violation> out = new ArrayList<>();
        check(schema, document, "", out);
        return out;
    }

    private JsonNode resolve(JsonNode s) {
        int guard = 0;
        while (s.has("$ref") && guard++ < 50) {
            String ref = s.get("$ref").asString();
            JsonNode t = schema;
            for (String part : ref.substring(2).split("/")) {
                t = t.get(part);
            }
            s = t;
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private void check(JsonNode s, Object v, String path, List<Violation> out) {
        s = resolve(s);
        if (s.isBoolean()) {
            if (!s.asBoolean()) {
                out.add(new Violation(path, "is not allowed"));
            }
            return;
        }
        JsonNode type = s.get("type");
        if (type != null && !typeMatches(type, v)) {
            out.add(new Violation(path, "must be a " + typeNames(type)));
            return;
        }
        JsonNode en = s.get("enum");
        if (en != null) {
            boolean ok = false;
            for (JsonNode e : en) {
                ok |= e.isNull() ? v == null : v != null && e.asString().equals(Values.str(v));
            }
            if (!ok) {
                out.add(new Violation(path, "must be one of the following: " + en));
                return;
            }
        }
        for (String comb : new String[] {"oneOf", "anyOf"}) {
            JsonNode alts = s.get(comb);
            if (alts == null) {
                continue;
            }
            List<Violation> best = null;
            for (JsonNode alt : alts) {
                List<Violation> sub = new ArrayList<>();
                check(alt, v, path, sub);
                if (sub.isEmpty()) {
                    best = null;
                    break;
                }
                if (best == null || depth(sub) > depth(best)) {
                    best = sub;
                }
            }
            if (best != null) {
                if (depth(best) == depth(List.of(new Violation(path, "")))) {
                    out.add(new Violation(path, "must be a " + altNames(alts)));
                } else {
                    out.addAll(best);
                }
                return;
            }
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> map = (Map<String, Object>) m;
            JsonNode req = s.get("required");
            if (req != null) {
                for (JsonNode r : req) {
                    if (!map.containsKey(r.asString())) {
                        out.add(new Violation(path, "missing required property '" + r.asString() + "'"));
                    }
                }
            }
            JsonNode props = s.get("properties");
            JsonNode pprops = s.get("patternProperties");
            JsonNode additional = s.get("additionalProperties");
            for (var e : map.entrySet()) {
                String key = e.getKey();
                String sub = YamlTree.join(path, key);
                boolean matched = false;
                if (props != null && props.has(key)) {
                    matched = true;
                    check(props.get(key), e.getValue(), sub, out);
                }
                if (pprops != null) {
                    for (var pp : pprops.properties()) {
                        if (pattern(pp.getKey()).matcher(key).find()) {
                            matched = true;
                            check(pp.getValue(), e.getValue(), sub, out);
                        }
                    }
                }
                if (!matched && additional != null) {
                    if (additional.isBoolean()) {
                        if (!additional.asBoolean()) {
                            out.add(new Violation(path, "additional property '" + key + "' is not allowed", sub));
                        }
                    } else {
                        check(additional, e.getValue(), sub, out);
                    }
                }
            }
        } else if (v instanceof List<?> l) {
            JsonNode items = s.get("items");
            if (items != null && items.isObject()) {
                for (int i = 0; i < l.size(); i++) {
                    check(items, l.get(i), YamlTree.join(path, Integer.toString(i)), out);
                }
            }
            JsonNode unique = s.get("uniqueItems");
            if (unique != null && unique.asBoolean() && new java.util.HashSet<>(l).size() != l.size()) {
                out.add(new Violation(path, "contains duplicate items"));
            }
        } else if (v instanceof Number || v instanceof String) {
            Double d = number(v);
            if (d != null && s.has("minimum") && d < s.get("minimum").asDouble()) {
                out.add(new Violation(path, "must be greater than or equal to " + s.get("minimum")));
            }
            if (d != null && s.has("maximum") && d > s.get("maximum").asDouble()) {
                out.add(new Violation(path, "must be less than or equal to " + s.get("maximum")));
            }
            if (v instanceof String str && s.has("pattern") && !pattern(s.get("pattern").asString()).matcher(str).find()) {
                out.add(new Violation(path, "does not match pattern " + s.get("pattern").asString()));
            }
        }
    }

    private Pattern pattern(String p) {
        return patterns.computeIfAbsent(p, Pattern::compile);
    }

    private static int depth(List<Violation> v) {
        return v.stream().mapToInt(x -> x.path().isEmpty() ? 0 : x.path().split("\\.").length).max().orElse(0);
    }

    private String altNames(JsonNode alts) {
        List<String> names = new ArrayList<>();
        for (JsonNode a : alts) {
            JsonNode r = resolve(a);
            JsonNode t = r.get("type");
            String n = t == null ? "value" : typeNames(t);
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        return String.join(" or ", names);
    }

    private static String typeNames(JsonNode type) {
        if (type.isArray()) {
            List<String> n = new ArrayList<>();
            type.forEach(t -> n.add(t.asString()));
            return String.join(" or ", n);
        }
        return type.asString();
    }

    private static boolean typeMatches(JsonNode type, Object v) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t.asString(), v)) {
                    return true;
                }
            }
            return false;
        }
        return typeMatches(type.asString(), v);
    }

    private static boolean typeMatches(String t, Object v) {
        return switch (t) {
            case "object" -> v instanceof Map;
            case "array" -> v instanceof List;
            case "string" -> v instanceof String;
            case "boolean" -> v instanceof Boolean || v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"));
            case "integer" -> v instanceof Long || v instanceof Integer || v instanceof String s && s.matches("[+-]?\\d+");
            case "number" -> v instanceof Number || v instanceof String s && number(s) != null;
            case "null" -> v == null;
            default -> true;
        };
    }

    private static Double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble((String) v);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
