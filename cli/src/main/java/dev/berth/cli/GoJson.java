package dev.berth.cli;

import java.util.Iterator;
import tools.jackson.databind.JsonNode;

/**
 * Writes JSON as Go's {@code json.MarshalIndent(v, "", "    ")} does (docker inspect output):
 * four-space indent, {@code "key": value}, HTML-sensitive characters escaped. Stateless utility.
 */
final class GoJson {
    private GoJson() {}

    static String indent(JsonNode n) {
        StringBuilder sb = new StringBuilder();
        write(sb, n, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, JsonNode n, int depth) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            sb.append("null");
        } else if (n.isObject()) {
            if (n.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            Iterator<String> it = n.propertyNames().iterator();
            while (it.hasNext()) {
                String k = it.next();
                pad(sb, depth + 1);
                string(sb, k);
                sb.append(": ");
                write(sb, n.get(k), depth + 1);
                sb.append(it.hasNext() ? ",\n" : "\n");
            }
            pad(sb, depth);
            sb.append('}');
        } else if (n.isArray()) {
            if (n.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append("[\n");
            for (int i = 0; i < n.size(); i++) {
                pad(sb, depth + 1);
                write(sb, n.get(i), depth + 1);
                sb.append(i < n.size() - 1 ? ",\n" : "\n");
            }
            pad(sb, depth);
            sb.append(']');
        } else if (n.isString()) {
            string(sb, n.asString());
        } else {
            sb.append(n.toString());
        }
    }

    private static void pad(StringBuilder sb, int depth) {
        sb.repeat("    ", depth);
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '<' -> sb.append("\\u003c");
                case '>' -> sb.append("\\u003e");
                case '&' -> sb.append("\\u0026");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
