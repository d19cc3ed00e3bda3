package dev.berth.daemon.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.BerthException;
import dev.berth.common.Filters;
import dev.berth.image.LocalImage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageFiltersTest {
    static LocalImage img(String id, String created, List<String> tags, Map<String, String> labels) {
        return new LocalImage(id, tags, List.of(), "", created, "", "", "amd64", "", "linux", null, List.of(), 100, labels);
    }

    final LocalImage old = img("sha256:" + "a".repeat(64), "2020-01-01T00:00:00Z", List.of("busybox:latest", "busybox:1.36"), Map.of("k", "v"));
    final LocalImage mid = img("sha256:" + "b".repeat(64), "2021-01-01T00:00:00Z", List.of(), Map.of());
    final LocalImage neu = img("sha256:" + "c".repeat(64), "2022-01-01T00:00:00Z", List.of("localhost:5000/team/app:v1"), Map.of());
    final Map<String, LocalImage> byName = Map.of("busybox", old, "mid", mid, "app", neu);

    private Optional<List<String>> apply(LocalImage i, String filters) {
        return ImageFilters.apply(i, Filters.parse(filters), n -> {
            LocalImage r = byName.get(n);
            if (r == null) {
                throw BerthException.notFound("No such image: %s", n);
            }
            return r;
        }, Instant.parse("2023-01-01T00:00:00Z"));
    }

    @Test
    void dangling() {
        assertThat(apply(mid, "{\"dangling\":[\"true\"]}")).isPresent();
        assertThat(apply(old, "{\"dangling\":[\"true\"]}")).isEmpty();
        assertThat(apply(old, "{\"dangling\":[\"false\"]}")).isPresent();
        assertThatThrownBy(() -> apply(old, "{\"dangling\":[\"maybe\"]}")).hasMessageContaining("invalid filter");
    }

    @Test
    void referenceKeepsOnlyMatchingTags() {
        assertThat(apply(old, "{\"reference\":[\"busybox\"]}")).contains(List.of("busybox:latest", "busybox:1.36"));
        assertThat(apply(old, "{\"reference\":[\"busybox:1.*\"]}")).contains(List.of("busybox:1.36"));
        assertThat(apply(old, "{\"reference\":[\"nginx\"]}")).isEmpty();
        assertThat(apply(neu, "{\"reference\":[\"localhost:5000/*/app\"]}")).isPresent();
        assertThat(apply(neu, "{\"reference\":[\"app\"]}")).isEmpty();
        assertThat(apply(mid, "{\"reference\":[\"*\"]}")).isEmpty();
    }

    @Test
    void labelsBeforeSinceUntil() {
        assertThat(apply(old, "{\"label\":[\"k=v\"]}")).isPresent();
        assertThat(apply(old, "{\"label\":[\"k=w\"]}")).isEmpty();
        assertThat(apply(mid, "{\"label\":[\"k\"]}")).isEmpty();
        assertThat(apply(old, "{\"before\":[\"mid\"]}")).isPresent();
        assertThat(apply(neu, "{\"before\":[\"mid\"]}")).isEmpty();
        assertThat(apply(neu, "{\"since\":[\"mid\"]}")).isPresent();
        assertThat(apply(mid, "{\"since\":[\"mid\"]}")).isEmpty();
        assertThat(apply(old, "{\"until\":[\"2020-06-01T00:00:00Z\"]}")).isPresent();
        assertThat(apply(neu, "{\"until\":[\"8760h\"]}")).isEmpty();
        assertThat(apply(old, "{\"until\":[\"8760h\"]}")).isPresent();
    }

    @Test
    void references() {
        ImageReference r = ImageReference.parse("busybox");
        assertThat(r.toString()).isEqualTo("docker.io/library/busybox");
        assertThat(r.withDefaultTag().familiar()).isEqualTo("busybox:latest");
        assertThat(ImageReference.parse("localhost:5000/a/b:t").toString()).isEqualTo("localhost:5000/a/b:t");
        assertThat(ImageReference.parse("user/app:1").familiar()).isEqualTo("user/app:1");
        assertThatThrownBy(() -> ImageReference.parse("Busybox")).hasMessageContaining("must be lowercase");
        assertThatThrownBy(() -> ImageReference.parse("a b")).hasMessage("invalid reference format");
        assertThatThrownBy(() -> ImageReference.validateTag("-bad")).hasMessage("invalid tag format");
        assertThat(FilterTimes.durationNanos("1h30m")).isEqualTo(5_400_000_000_000L);
        assertThat(Globs.match("busybox:1.*", "busybox:1.36")).isTrue();
        assertThat(Globs.match("*", "a/b")).isFalse();
    }
}
