package dev.berth.builder.exec;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.type.TypeReference;

/**
 * Reads the query parameters of {@code POST /build} into {@link BuildOptions}, with Docker's
 * defaults ({@code rm} true) and boolean spelling (moby's BoolValue: "", "0", "no", "false",
 * "none" are false). A helper for the build router; pure.
 */
public final class BuildQuery {
    private BuildQuery() {}

    /** The parsed options plus the Dockerfile path and the requested builder version. */
    public record Parsed(BuildOptions options, String dockerfile, String version) {}

    public static Parsed parse(Map<String, List<String>> query) {
        String version = first(query, "version", "1");
        List<String> tags = new ArrayList<>(query.getOrDefault("t", List.of()));
        tags.removeIf(String::isEmpty);
        Map<String, String> buildArgs = json(first(query, "buildargs", null), new TypeReference<>() {});
        Map<String, String> labels = json(first(query, "labels", null), new TypeReference<>() {});
        List<String> extraHosts = new ArrayList<>();
        for (String h : query.getOrDefault("extrahosts", List.of())) {
            for (String part : h.split(",")) {
                if (!part.isBlank()) {
                    extraHosts.add(part.strip());
                }
            }
        }
        BuildResources res = new BuildResources(num(query, "memory"), num(query, "memswap"), num(query, "shmsize"),
                num(query, "cpushares"), num(query, "cpuperiod"), num(query, "cpuquota"),
                first(query, "cpusetcpus", null), first(query, "cpusetmems", null),
                first(query, "cgroupparent", null), extraHosts);
        String target = first(query, "target", null);
        String platform = first(query, "platform", null);
        String network = first(query, "networkmode", null);
        BuildOptions opts = new BuildOptions(tags, buildArgs, target == null || target.isEmpty() ? null : target,
                bool(query, "nocache", false), bool(query, "pull", false), bool(query, "rm", true),
                bool(query, "forcerm", false), bool(query, "q", false),
                platform == null || platform.isEmpty() ? null : platform,
                network == null || network.isEmpty() ? null : network, labels, res, cacheFrom(query));
        if (bool(query, "berthmounts", false)) {
            // berth's CLI: RUN --mount=type=cache|secret enabled; the daemon adds the secrets
            opts = opts.withRunMounts(new RunMounts(Map.of()));
        }
        String dockerfile = first(query, "dockerfile", "Dockerfile");
        return new Parsed(opts, dockerfile.isEmpty() ? "Dockerfile" : dockerfile, version);
    }

    /** {@code cachefrom}: a JSON array of image references (the CLI's --cache-from). */
    private static List<String> cacheFrom(Map<String, List<String>> query) {
        String text = first(query, "cachefrom", null);
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        try {
            List<String> l = Json.mapper().readValue(text, new TypeReference<List<String>>() {});
            return l == null ? List.of() : l.stream().filter(x -> x != null && !x.isEmpty()).toList();
        } catch (RuntimeException e) {
            throw BerthException.invalid("invalid JSON in build query: %s", e.getMessage());
        }
    }

    private static String first(Map<String, List<String>> q, String key, String dflt) {
        List<String> v = q.get(key);
        return v == null || v.isEmpty() ? dflt : v.getFirst();
    }

    static boolean bool(Map<String, List<String>> q, String key, boolean dflt) {
        String v = first(q, key, null);
        if (v == null) {
            return dflt;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "", "0", "no", "false", "none" -> false;
            default -> true;
        };
    }

    private static long num(Map<String, List<String>> q, String key) {
        String v = first(q, key, null);
        if (v == null || v.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid value for %s: %s", key, v);
        }
    }

    private static Map<String, String> json(String text, TypeReference<Map<String, String>> type) {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        try {
            Map<String, String> m = Json.mapper().readValue(text, type);
            return m == null ? Map.of() : new LinkedHashMap<>(m);
        } catch (RuntimeException e) {
            throw BerthException.invalid("invalid JSON in build query: %s", e.getMessage());
        }
    }
}
