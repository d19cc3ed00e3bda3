package dev.berth.builder.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheKeysTest {
    private static final String P = "sha256:" + "a".repeat(64);

    @Test
    void stable() {
        String k = CacheKeys.key(P, "/bin/sh -c echo hi", "abc", Map.of("A", "1", "B", "2"));
        assertThat(k).startsWith("sha256:").hasSize(71);
        Map<String, String> reordered = new LinkedHashMap<>();
        reordered.put("B", "2");
        reordered.put("A", "1");
        assertThat(CacheKeys.key(P, "/bin/sh -c echo hi", "abc", reordered)).isEqualTo(k);
    }

    @Test
    void sensitiveToEveryInput() {
        String k = CacheKeys.key(P, "/bin/sh -c echo hi", "abc", Map.of("A", "1"));
        assertThat(CacheKeys.key("sha256:" + "b".repeat(64), "/bin/sh -c echo hi", "abc", Map.of("A", "1"))).isNotEqualTo(k);
        assertThat(CacheKeys.key(P, "/bin/sh -c echo ho", "abc", Map.of("A", "1"))).isNotEqualTo(k);
        assertThat(CacheKeys.key(P, "/bin/sh -c echo hi", "abd", Map.of("A", "1"))).isNotEqualTo(k);
        assertThat(CacheKeys.key(P, "/bin/sh -c echo hi", "abc", Map.of("A", "2"))).isNotEqualTo(k);
        assertThat(CacheKeys.key(P, "/bin/sh -c echo hi", "abc", Map.of())).isNotEqualTo(k);
        assertThat(CacheKeys.key(null, "/bin/sh -c echo hi", "abc", Map.of("A", "1"))).isNotEqualTo(k);
    }

    @Test
    void noAmbiguousConcatenation() {
        assertThat(CacheKeys.key(P, "ab", "c", Map.of())).isNotEqualTo(CacheKeys.key(P, "a", "bc", Map.of()));
        assertThat(CacheKeys.key(null, "x")).isEqualTo(CacheKeys.key("", "x"));
        assertThat(CacheKeys.combine(java.util.List.of("a", "b"))).isNotEqualTo(CacheKeys.combine(java.util.List.of("ab")));
    }
}
