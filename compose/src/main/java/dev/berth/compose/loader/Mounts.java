package dev.berth.compose.loader;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses the short volume syntax {@code [source:]target[:mode]} into long syntax. Pure utility. */
public final class Mounts {
    private Mounts() {}

    public static Map<String, Object> parse(String spec) {
        String[] parts = splitVolume(spec);
        Map<String, Object> m = new LinkedHashMap<>();
        if (parts.length == 1) {
            m.put("type", "volume");
            m.put("target", parts[0]);
            return m;
        }
        if (parts.length > 3) {
            throw Normalizer.invalid("invalid volume specification: \"" + spec + "\"");
        }
        String src = parts[0];
        boolean bind = src.startsWith("/") || src.startsWith(".") || src.startsWith("~") || src.startsWith("$");
        m.put("type", bind ? "bind" : "volume");
        m.put("source", src);
        m.put("target", parts[1]);
        if (parts.length == 3) {
            for (String opt : parts[2].split(",")) {
                switch (opt) {
                    case "ro" -> m.put("read_only", true);
                    case "rw" -> { }
                    case "z", "Z" -> {
                        if (bind) {
                            Normalizer.cast((Map<?, ?>) m.computeIfAbsent("bind", k -> new LinkedHashMap<>())).put("selinux", opt);
                        }
                    }
                    case "nocopy" -> Normalizer.cast((Map<?, ?>) m.computeIfAbsent("volume", k -> new LinkedHashMap<>())).put("nocopy", true);
                    case "shared", "rshared", "slave", "rslave", "private", "rprivate" ->
                            Normalizer.cast((Map<?, ?>) m.computeIfAbsent("bind", k -> new LinkedHashMap<>())).put("propagation", opt);
                    default -> throw Normalizer.invalid("invalid volume mode \"" + opt + "\" in \"" + spec + "\"");
                }
            }
        }
        if (bind) {
            Normalizer.cast((Map<?, ?>) m.computeIfAbsent("bind", k -> new LinkedHashMap<>())).put("create_host_path", true);
        }
        return m;
    }

    private static String[] splitVolume(String spec) {
        // Windows drive letters are not a concern on Linux; a plain split suffices.
        return spec.split(":", -1);
    }
}
