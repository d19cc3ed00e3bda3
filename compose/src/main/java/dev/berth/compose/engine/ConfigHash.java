package dev.berth.compose.engine;

import dev.berth.common.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code com.docker.compose.config-hash} of a service: SHA-256 (hex) of its canonical JSON
 * (keys sorted at every level) with the fields that do not require a new container removed
 * (scale, replicas, profiles, depends_on restart flags, build details). Equal configs give equal
 * hashes whatever the key order in the files. Pure utility.
 */
public final class ConfigHash {
    private ConfigHash() {}

    public static String of(Map<String, Object> service) {
        Map<String, Object> c = canonical(service);
        c.remove("scale");
        c.remove("profiles");
        c.remove("pull_policy");
        c.remove("build");
        if (c.get("deploy") instanceof Map<?, ?> d) {
            @SuppressWarnings("unchecked")
            Map<String, Object> dm = (Map<String, Object>) d;
            dm.remove("replicas");
            if (dm.isEmpty()) {
                c.remove("deploy");
            }
        }
        try {
            byte[] json = Json.mapper().writeValueAsString(c).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> canonical(Map<String, Object> m) {
        Map<String, Object> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, canonicalValue(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object canonicalValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            return canonical((Map<String, Object>) m);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(canonicalValue(x)));
            return out;
        }
        return v;
    }
}
