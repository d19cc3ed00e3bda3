package dev.berth.compose.loader;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Parses one YAML 1.2 document (Core schema) into plain Java values — {@code LinkedHashMap<String,
 * Object>}, {@code ArrayList}, String, Long, Double, Boolean, null — and records the line of each
 * value by its dotted path ({@code services.web.ports.0}) so later stages can name file and line.
 * Anchors and aliases are resolved by snakeyaml; merge keys ({@code <<}) are applied here because
 * YAML 1.2 has none but Compose files use them. Stateless; thread-safe.
 */
public final class YamlTree {
    private YamlTree() {}

    /** The parsed document and the 1-based line of each path. */
    public record Parsed(String file, Object root, Map<String, Integer> lines, Map<String, String> tags) {
        public Parsed(String file, Object root, Map<String, Integer> lines) {
            this(file, root, lines, new LinkedHashMap<>());
        }

        public String where(String path) {
            Integer line = null;
            String p = path;
            while (line == null && !p.isEmpty()) {
                line = lines.get(p);
                int dot = p.lastIndexOf('.');
                p = dot < 0 ? "" : p.substring(0, dot);
            }
            return line == null ? file : file + ":" + line;
        }
    }

    public static Parsed parse(String file, String text) {
        LoadSettings settings = LoadSettings.builder().setLabel(file).setSchema(new CoreSchema())
                .setAllowDuplicateKeys(false).setMaxAliasesForCollections(1000).setCodePointLimit(32 * 1024 * 1024)
                .build();
        Node node;
        try {
            node = new Compose(settings).composeString(text).orElse(null);
        } catch (YamlEngineException e) {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "failed to parse " + file + ": " + e.getMessage().trim(), e);
        }
        Map<String, Integer> lines = new LinkedHashMap<>();
        Map<String, String> tags = new LinkedHashMap<>();
        Object root;
        try {
            root = node == null ? new LinkedHashMap<String, Object>() : convert(node, "", lines, tags, 0);
        } catch (BerthException e) {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "failed to parse " + file + ": " + e.getMessage(), e);
        }
        return new Parsed(file, root, lines, tags);
    }

    private static Object convert(Node node, String path, Map<String, Integer> lines, Map<String, String> tags, int depth) {
        if (depth > 200) {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "YAML nesting too deep at " + path);
        }
        node.getStartMark().ifPresent(m -> lines.putIfAbsent(path, m.getLine() + 1));
        String tag = node.getTag().getValue();
        if (tag.equals("!reset") || tag.equals("!override")) {
            // Compose merge directives: remembered by path, applied when files are merged
            tags.put(path, tag.substring(1));
            if (tag.equals("!reset")) {
                return null;
            }
        }
        return switch (node) {
            case ScalarNode s -> scalar(s);
            case SequenceNode seq -> {
                List<Object> out = new ArrayList<>();
                int i = 0;
                for (Node n : seq.getValue()) {
                    out.add(convert(n, join(path, Integer.toString(i++)), lines, tags, depth + 1));
                }
                yield out;
            }
            case MappingNode map -> {
                Map<String, Object> out = new LinkedHashMap<>();
                List<Map<String, Object>> merges = new ArrayList<>();
                for (NodeTuple t : map.getValue()) {
                    Object k = t.getKeyNode() instanceof ScalarNode ks ? ks.getValue() : null;
                    if (k == null) {
                        throw new BerthException(ErrorKind.INVALID_ARGUMENT, "non-scalar key at " + path);
                    }
                    String key = (String) k;
                    if (key.equals("<<")) {
                        Object v = convert(t.getValueNode(), path, new LinkedHashMap<>(), new LinkedHashMap<>(), depth + 1);
                        if (v instanceof Map<?, ?> m) {
                            merges.add(cast(m));
                        } else if (v instanceof List<?> l) {
                            for (Object o : l) {
                                if (o instanceof Map<?, ?> m) {
                                    merges.add(cast(m));
                                }
                            }
                        }
                        continue;
                    }
                    if (out.containsKey(key)) {
                        int line = t.getKeyNode().getStartMark().map(m -> m.getLine() + 1).orElse(0);
                        throw new BerthException(ErrorKind.INVALID_ARGUMENT, "line " + line + ": mapping key \"" + key + "\" already defined at line " + lines.get(join(path, key)));
                    }
                    out.put(key, convert(t.getValueNode(), join(path, key), lines, tags, depth + 1));
                }
                if (!merges.isEmpty()) {
                    Map<String, Object> merged = new LinkedHashMap<>();
                    // earlier merge sources win over later ones, explicit keys win over all
                    for (int i = merges.size() - 1; i >= 0; i--) {
                        merged.putAll(Values.deepCopyMap(merges.get(i)));
                    }
                    merged.putAll(out);
                    out = merged;
                }
                yield out;
            }
            default -> throw new BerthException(ErrorKind.INVALID_ARGUMENT, "unsupported YAML node at " + path);
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static Object scalar(ScalarNode s) {
        String v = s.getValue();
        Tag tag = s.getTag();
        if (tag.equals(Tag.NULL)) {
            return null;
        }
        if (tag.equals(Tag.BOOL)) {
            return Boolean.parseBoolean(v.toLowerCase(java.util.Locale.ROOT));
        }
        if (tag.equals(Tag.INT)) {
            try {
                if (v.startsWith("0x")) {
                    return Long.parseLong(v.substring(2), 16);
                }
                if (v.startsWith("0o")) {
                    return Long.parseLong(v.substring(2), 8);
                }
                return Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
            } catch (NumberFormatException e) {
                return v;
            }
        }
        if (tag.equals(Tag.FLOAT)) {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                return v;
            }
        }
        return v;
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
