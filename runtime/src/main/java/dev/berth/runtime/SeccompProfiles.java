package dev.berth.runtime;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a seccomp profile in Docker's format (with {@code archMap} and per-rule
 * {@code includes}/{@code excludes} on capabilities, architectures and minimum kernel) into the
 * OCI {@code linux.seccomp} object for one container, as moby's {@code setupSeccomp} does.
 * Docker's default profile ships as the resource {@code seccomp/default.json} (Apache-2.0,
 * unmodified). Thread-safe; the parsed default profile is cached per instance.
 */
public final class SeccompProfiles {
    private static final Map<String, String> GO_TO_NATIVE = Map.ofEntries(
            Map.entry("386", "SCMP_ARCH_X86"), Map.entry("amd64", "SCMP_ARCH_X86_64"), Map.entry("arm", "SCMP_ARCH_ARM"),
            Map.entry("arm64", "SCMP_ARCH_AARCH64"), Map.entry("mips64", "SCMP_ARCH_MIPS64"),
            Map.entry("mips64le", "SCMP_ARCH_MIPSEL64"), Map.entry("ppc64le", "SCMP_ARCH_PPC64LE"),
            Map.entry("riscv64", "SCMP_ARCH_RISCV64"), Map.entry("s390x", "SCMP_ARCH_S390X"),
            Map.entry("loong64", "SCMP_ARCH_LOONGARCH64"));

    private final JsonNode defaultProfile;

    public SeccompProfiles() {
        try (InputStream in = SeccompProfiles.class.getResourceAsStream("/seccomp/default.json")) {
            if (in == null) {
                throw new IllegalStateException("seccomp/default.json missing from the runtime jar");
            }
            this.defaultProfile = Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode defaultProfile() {
        return defaultProfile;
    }

    /** Resolves Docker's default profile for a container with bounding set {@code caps}. */
    public ObjectNode resolveDefault(List<String> caps, HostInfo host) {
        return resolve(defaultProfile, caps, host);
    }

    /** Resolves a custom profile given as JSON text. */
    public ObjectNode resolveCustom(String json, List<String> caps, HostInfo host) {
        JsonNode profile;
        try {
            profile = Json.mapper().readTree(json);
        } catch (RuntimeException e) {
            throw BerthException.invalid("decoding seccomp profile failed: %s", e.getMessage());
        }
        return resolve(profile, caps, host);
    }

    /** The resolution itself; {@code caps} is the container's bounding set. */
    public static ObjectNode resolve(JsonNode profile, List<String> caps, HostInfo host) {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("defaultAction", profile.path("defaultAction").asString("SCMP_ACT_ERRNO"));
        if (profile.hasNonNull("defaultErrnoRet")) {
            out.put("defaultErrnoRet", profile.get("defaultErrnoRet").asLong());
        }
        String goArch = host.goArch();
        String nativeArch = GO_TO_NATIVE.get(goArch);
        ArrayNode arches = out.putArray("architectures");
        JsonNode archMap = profile.path("archMap");
        JsonNode plainArches = profile.path("architectures");
        if (archMap.isArray() && !archMap.isEmpty() && plainArches.isArray() && !plainArches.isEmpty()) {
            throw BerthException.invalid("seccomp profile: 'architectures' and 'archMap' cannot both be used");
        }
        if (plainArches.isArray()) {
            plainArches.forEach(a -> arches.add(a.asString()));
        }
        for (JsonNode a : archMap) {
            if (a.path("architecture").asString("").equals(nativeArch)) {
                arches.add(nativeArch);
                a.path("subArchitectures").forEach(s -> arches.add(s.asString()));
            }
        }
        if (profile.path("flags").isArray() && !profile.path("flags").isEmpty()) {
            out.set("flags", profile.get("flags").deepCopy());
        }
        if (profile.hasNonNull("listenerPath")) {
            out.put("listenerPath", profile.get("listenerPath").asString());
        }
        ArrayNode syscalls = out.putArray("syscalls");
        for (JsonNode call : profile.path("syscalls")) {
            if (call.hasNonNull("name") && call.path("names").isArray() && !call.path("names").isEmpty()) {
                throw BerthException.invalid("seccomp profile: use either 'name' or 'names', not both");
            }
            if (!applies(call, caps, goArch, host)) {
                continue;
            }
            ObjectNode n = syscalls.addObject();
            ArrayNode names = n.putArray("names");
            if (call.hasNonNull("name")) {
                names.add(call.get("name").asString());
            } else {
                call.path("names").forEach(x -> names.add(x.asString()));
            }
            n.put("action", call.path("action").asString());
            if (call.hasNonNull("errnoRet")) {
                n.put("errnoRet", call.get("errnoRet").asLong());
            }
            if (call.path("args").isArray() && !call.path("args").isEmpty()) {
                ArrayNode args = n.putArray("args");
                for (JsonNode a : call.get("args")) {
                    ObjectNode an = args.addObject();
                    an.put("index", a.path("index").asLong());
                    an.put("value", a.path("value").asLong());
                    if (a.path("valueTwo").asLong(0) != 0) {
                        an.put("valueTwo", a.path("valueTwo").asLong());
                    }
                    an.put("op", a.path("op").asString());
                }
            }
        }
        return out;
    }

    private static boolean applies(JsonNode call, List<String> caps, String goArch, HostInfo host) {
        JsonNode ex = call.path("excludes");
        for (JsonNode a : ex.path("arches")) {
            if (a.asString().equals(goArch)) {
                return false;
            }
        }
        for (JsonNode c : ex.path("caps")) {
            if (caps.contains(c.asString())) {
                return false;
            }
        }
        if (ex.hasNonNull("minKernel") && host.kernelAtLeast(ex.get("minKernel").asString())) {
            return false;
        }
        JsonNode in = call.path("includes");
        if (in.path("arches").isArray() && !in.path("arches").isEmpty()) {
            boolean found = false;
            for (JsonNode a : in.path("arches")) {
                found |= a.asString().equals(goArch);
            }
            if (!found) {
                return false;
            }
        }
        for (JsonNode c : in.path("caps")) {
            if (!caps.contains(c.asString())) {
                return false;
            }
        }
        return !in.hasNonNull("minKernel") || host.kernelAtLeast(in.get("minKernel").asString());
    }
}
