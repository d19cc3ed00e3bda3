package dev.berth.daemon.config;

import dev.berth.common.BerthException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Typed access to a parsed {@code daemon.json} (absent file = empty object), with dockerd's validation messages. */
final class ConfigFileReader {
    static final Set<String> KNOWN_KEYS = Set.of(
            "hosts", "data-root", "exec-root", "pidfile", "default-runtime", "log-level", "log-opts", "log-driver",
            "tls", "tlsverify", "tlscacert", "tlscert", "tlskey", "userns-remap", "bip", "ip",
            "insecure-registries", "registry-mirrors", "dns", "debug", "cgroup-parent", "iptables", "live-restore",
            // MoreOptions: container and network defaults, engine settings
            "group", "default-ulimits", "default-shm-size", "init", "seccomp-profile", "no-new-privileges", "default-cgroupns-mode",
            "mtu", "fixed-cidr", "default-address-pools", "icc", "ip-masq", "userland-proxy", "dns-search", "dns-opts",
            "host-gateway-ip", "host-gateway-ips", "storage-driver", "exec-opts", "labels", "experimental", "max-concurrent-downloads",
            "max-concurrent-uploads", "max-download-attempts", "shutdown-timeout", "features",
            // read by dev.berth.daemon.budget.BudgetConfig (BudgetConfig.KEYS)
            "storage-budget", "storage-budget-high", "storage-budget-low", "storage-budget-keep");

    private final Path file;
    private final JsonNode root;
    private final Set<String> ignored;
    private final List<String> warnings = new ArrayList<>();

    ConfigFileReader(Path file, JsonNode root, Set<String> ignored) {
        this.file = file;
        this.root = root;
        this.ignored = ignored;
    }

    List<String> warnings() {
        return warnings;
    }

    boolean has(String key) {
        return root != null && root.has(key) && !root.get(key).isNull();
    }

    void checkUnknownKeys() {
        if (root == null) {
            return;
        }
        List<String> unknown = new ArrayList<>();
        for (String k : root.propertyNames()) {
            if (ignored.contains(k)) {
                warnings.add("configuration key \"" + k + "\" in " + file + " is accepted but ignored by Berth");
            } else if (!KNOWN_KEYS.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw fail("the following directives don't match any configuration option: " + String.join(", ", unknown));
        }
    }

    /** dockerd: "the following directives are specified both as a flag and in the configuration file: k: (from flag: v, from file: w)". */
    void checkConflicts(Map<String, Object> flags) {
        List<String> conflicts = new ArrayList<>();
        for (var e : flags.entrySet()) {
            if (e.getValue() != null && has(e.getKey())) {
                conflicts.add(e.getKey() + ": (from flag: " + render(e.getValue()) + ", from file: " + render(root.get(e.getKey())) + ")");
            }
        }
        if (!conflicts.isEmpty()) {
            throw fail("the following directives are specified both as a flag and in the configuration file: " + String.join(", ", conflicts));
        }
    }

    private static String render(Object v) {
        if (v instanceof Collection<?> c) {
            return c.toString();
        }
        if (v instanceof JsonNode n) {
            if (n.isArray()) {
                List<String> l = new ArrayList<>();
                n.forEach(x -> l.add(x.isString() ? x.asString() : x.toString()));
                return l.toString();
            }
            return n.isString() ? n.asString() : n.toString();
        }
        return String.valueOf(v);
    }

    String string(String key, String dflt) {
        if (!has(key)) {
            return dflt;
        }
        JsonNode n = root.get(key);
        if (!n.isString()) {
            throw fail("invalid value for \"" + key + "\": expected a string");
        }
        return n.asString();
    }

    Path path(String key, Path dflt) {
        String s = string(key, null);
        return s == null ? dflt : Path.of(s);
    }

    Boolean boolOrNull(String key) {
        if (!has(key)) {
            return null;
        }
        JsonNode n = root.get(key);
        if (!n.isBoolean()) {
            throw fail("invalid value for \"" + key + "\": expected true or false");
        }
        return n.asBoolean();
    }

    boolean bool(String key, boolean dflt) {
        Boolean b = boolOrNull(key);
        return b == null ? dflt : b;
    }

    List<String> strings(String key) {
        if (!has(key)) {
            return List.of();
        }
        JsonNode n = root.get(key);
        if (!n.isArray()) {
            throw fail("invalid value for \"" + key + "\": expected an array of strings");
        }
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asString()));
        return out;
    }

    Map<String, String> stringMap(String key) {
        if (!has(key)) {
            return Map.of();
        }
        JsonNode n = root.get(key);
        if (!n.isObject()) {
            throw fail("invalid value for \"" + key + "\": expected an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var p : n.properties()) {
            out.put(p.getKey(), p.getValue().asString());
        }
        return out;
    }

    /** An integer key; null when absent. */
    Integer intOrNull(String key) {
        if (!has(key)) {
            return null;
        }
        JsonNode n = root.get(key);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw fail("invalid value for \"" + key + "\": expected an integer");
        }
        return n.asInt();
    }

    /** The raw value of a key (null when absent or JSON null), for structured keys. */
    JsonNode node(String key) {
        return has(key) ? root.get(key) : null;
    }

    BerthException fail(String msg) {
        return BerthException.invalid("unable to configure the Docker daemon with file %s: %s", file, msg);
    }
}
