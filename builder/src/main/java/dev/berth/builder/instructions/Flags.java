package dev.berth.builder.instructions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses an instruction's {@code --flag} words against the flags it declares (BuildKit's
 * BFlags): strings, booleans and repeatable string arrays. Not thread-safe; one per instruction.
 */
final class Flags {
    enum Type { STRING, BOOL, ARRAY }

    private final Map<String, Type> declared = new LinkedHashMap<>();
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final List<String> used = new ArrayList<>();

    Flags declare(String name, Type type) {
        declared.put(name, type);
        return this;
    }

    /** Parses the words; throws IllegalArgumentException with Docker's message on bad flags. */
    Flags parse(List<String> words) {
        for (String w : words) {
            if (!w.startsWith("--")) {
                throw new IllegalArgumentException("invalid flag: " + w);
            }
            String arg = w.substring(2);
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String value = eq < 0 ? null : arg.substring(eq + 1);
            Type type = declared.get(name);
            if (type == null) {
                throw new IllegalArgumentException("unknown flag: " + name);
            }
            if (!used.contains(name)) {
                used.add(name);
            }
            switch (type) {
                case BOOL -> {
                    if (value == null) {
                        values.put(name, Boolean.TRUE);
                    } else {
                        String v = value.toLowerCase(Locale.ROOT);
                        if (!v.equals("true") && !v.equals("false")) {
                            throw new IllegalArgumentException(
                                    "expecting boolean value for flag " + name + ", not: " + value);
                        }
                        values.put(name, Boolean.valueOf(v));
                    }
                }
                case STRING -> {
                    if (value == null) {
                        throw new IllegalArgumentException("missing a value on flag: " + name);
                    }
                    if (values.containsKey(name)) {
                        throw new IllegalArgumentException("duplicate flag specified: " + name);
                    }
                    values.put(name, value);
                }
                case ARRAY -> {
                    if (value == null) {
                        throw new IllegalArgumentException("missing a value on flag: " + name);
                    }
                    @SuppressWarnings("unchecked")
                    List<String> list = (List<String>) values.computeIfAbsent(name, k -> new ArrayList<String>());
                    list.add(value);
                }
            }
        }
        return this;
    }

    String string(String name) {
        return (String) values.get(name);
    }

    boolean bool(String name) {
        return Boolean.TRUE.equals(values.get(name));
    }

    Boolean boolOrNull(String name) {
        return (Boolean) values.get(name);
    }

    @SuppressWarnings("unchecked")
    List<String> array(String name) {
        return values.containsKey(name) ? List.copyOf((List<String>) values.get(name)) : List.of();
    }

    /** Flag names as used, in the order written. */
    List<String> used() {
        return List.copyOf(used);
    }
}
