package dev.berth.builder.cache;

import dev.berth.common.Digest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Build cache keys, a pure function of what decides a step's result:
 * <ul>
 *   <li>the parent: the image id the step starts from ({@code scratch} for none);</li>
 *   <li>the normalized instruction: its history text after variable substitution (for RUN the
 *       full argv with the shell, for config steps the {@code #(nop)} comment), which already
 *       reflects every variable the instruction used;</li>
 *   <li>for COPY/ADD, the checksum of the sources (content, mode, uid/gid and path of every file,
 *       in path order, after .dockerignore);</li>
 *   <li>the build args the step sees as environment (RUN only: other instructions see args only
 *       through substitution, which the text already captures). Predefined proxy args are
 *       excluded unless declared, as Docker does.</li>
 * </ul>
 * Fields are length-prefixed so that no two different inputs share an encoding. The result is
 * a {@code sha256:…} string. Thread-safe.
 */
public final class CacheKeys {
    private CacheKeys() {}

    public static String key(String parentId, String instruction, String sourcesChecksum,
                             Map<String, String> buildArgs) {
        MessageDigest md = Digest.newSha256();
        field(md, "berth-build-cache-v1");
        field(md, parentId == null || parentId.isEmpty() ? "scratch" : parentId);
        field(md, instruction);
        field(md, sourcesChecksum == null ? "" : sourcesChecksum);
        Map<String, String> sorted = new TreeMap<>(buildArgs);
        field(md, Integer.toString(sorted.size()));
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            field(md, e.getKey());
            field(md, e.getValue() == null ? "\u0000unset" : e.getValue());
        }
        return Digest.ofSha256(md).toString();
    }

    /** A key for config-only steps (no sources, no args). */
    public static String key(String parentId, String instruction) {
        return key(parentId, instruction, null, Map.of());
    }

    /** Combines several checksums (several COPY sources) into one. */
    public static String combine(List<String> checksums) {
        MessageDigest md = Digest.newSha256();
        for (String c : checksums) {
            field(md, c);
        }
        return Digest.ofSha256(md).hex();
    }

    private static void field(MessageDigest md, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update((b.length + ":").getBytes(StandardCharsets.UTF_8));
        md.update(b);
    }
}
