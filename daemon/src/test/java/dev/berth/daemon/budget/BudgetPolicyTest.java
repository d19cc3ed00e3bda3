package dev.berth.daemon.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.Json;
import dev.berth.daemon.budget.BudgetPolicy.CacheEntry;
import dev.berth.daemon.budget.BudgetPolicy.Kind;
import dev.berth.daemon.budget.BudgetPolicy.Removal;
import dev.berth.daemon.budget.ImageLayers.ImageInfo;
import dev.berth.daemon.budget.ImageLayers.Layer;
import dev.berth.image.LocalImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudgetPolicyTest {
    static final BudgetConfig CFG = new BudgetConfig(1000, 90, 50, List.of("keep/*"));
    static final Map<String, Instant> LAST = new HashMap<>();

    static ImageInfo img(String id, List<String> tags, Map<String, String> labels, long lastUsed, Layer... layers) {
        LAST.put(id, Instant.ofEpochSecond(lastUsed));
        LocalImage li = new LocalImage(id, tags, List.of(), "", "", "", "", "amd64", "", "linux", null,
                List.of(layers).stream().map(Layer::chainId).toList(), List.of(layers).stream().mapToLong(Layer::size).sum(), labels);
        return new ImageInfo(li, List.of(layers));
    }

    static Layer l(String id, long size) {
        return new Layer(id, size);
    }

    static List<String> ids(BudgetPolicy.Plan p) {
        return p.removals().stream().map(Removal::id).toList();
    }

    @Test
    void belowTheHighWatermarkNothingHappens() {
        var p = BudgetPolicy.plan(CFG, 900, List.of(img("a", List.of(), Map.of(), 1, l("x", 500))), Set.of(), LAST, List.of());
        assertThat(p.removals()).isEmpty();
        assertThat(BudgetPolicy.plan(BudgetConfig.NONE, 1L << 50, List.of(img("a", List.of(), Map.of(), 1, l("x", 500))),
                Set.of(), LAST, List.of()).removals()).isEmpty();
    }

    @Test
    void cacheThenDanglingThenUnusedOldestFirstUntilTheLowWatermark() {
        List<ImageInfo> images = List.of(
                img("tagged-old", List.of("app:1"), Map.of(), 1, l("t1", 200)),
                img("tagged-new", List.of("app:2"), Map.of(), 50, l("t2", 200)),
                img("dangling-new", List.of(), Map.of(), 40, l("d2", 100)),
                img("dangling-old", List.of(), Map.of(), 10, l("d1", 100)));
        List<CacheEntry> cache = List.of(new CacheEntry("c2", 50, Instant.ofEpochSecond(20)), new CacheEntry("c1", 50, Instant.ofEpochSecond(5)));
        var p = BudgetPolicy.plan(CFG, 1000, images, Set.of(), LAST, cache);
        // 1000 -> 500 needed: c1, c2 (100), dangling-old, dangling-new (200), tagged-old (200) = 500
        assertThat(ids(p)).containsExactly("c1", "c2", "dangling-old", "dangling-new", "tagged-old");
        assertThat(p.removals().stream().map(Removal::kind).distinct()).containsExactly(Kind.BUILD_CACHE, Kind.DANGLING_IMAGE, Kind.UNUSED_IMAGE);
        assertThat(p.predictedBytes()).isEqualTo(500);
    }

    @Test
    void neverImagesUsedByContainersOrPinned() {
        List<ImageInfo> images = List.of(
                img("used", List.of(), Map.of(), 1, l("u", 400)),
                img("labelled", List.of("x:1"), Map.of("berth.pin", "true"), 1, l("p", 400)),
                img("kept", List.of("keep/base:1"), Map.of(), 1, l("k", 400)),
                img("free", List.of("y:1"), Map.of(), 99, l("f", 100)));
        var p = BudgetPolicy.plan(CFG, 2000, images, Set.of("used"), LAST, List.of());
        assertThat(ids(p)).containsExactly("free");
        assertThat(p.overBudget()).isTrue();
    }

    @Test
    void sharedLayersOnlyCountWhenTheirLastUserGoes() {
        List<ImageInfo> images = List.of(
                img("child", List.of(), Map.of(), 1, l("base", 300), l("c", 10)),
                img("base", List.of("base:1"), Map.of(), 2, l("base", 300)),
                img("user-of-base", List.of(), Map.of(), 3, l("base", 300), l("u", 10)));
        // "base" layer is also used by the in-use image: never freed; only the small top layers count
        var p = BudgetPolicy.plan(CFG, 1000, images, Set.of("user-of-base"), LAST, List.of());
        assertThat(p.removals()).extracting(Removal::id, Removal::freedBytes).containsExactly(
                org.assertj.core.groups.Tuple.tuple("child", 10L));
    }

    @Test
    void layerSharingNumbersForDf() {
        List<ImageInfo> images = List.of(img("a", List.of(), Map.of(), 1, l("base", 300), l("a1", 10)),
                img("b", List.of(), Map.of(), 1, l("base", 300), l("b1", 20)), img("c", List.of(), Map.of(), 1, l("c1", 5)));
        assertThat(ImageLayers.layersSize(images)).isEqualTo(335);
        assertThat(ImageLayers.sharedSizes(images)).containsEntry("a", 300L).containsEntry("b", 300L).containsEntry("c", 0L);
    }

    @Test
    void chainIdsFollowTheOciDefinition() {
        List<Layer> ls = ImageLayers.layers(List.of("sha256:a", "sha256:b"), List.of(1L, 2L), 3);
        assertThat(ls.get(0)).isEqualTo(new Layer("sha256:a", 1));
        assertThat(ls.get(1).chainId()).isEqualTo("sha256:" + ImageLayers.sha256("sha256:a sha256:b"));
        assertThat(ImageLayers.layers(List.of("sha256:a", "sha256:b"), List.of(), 7)).extracting(Layer::size).containsExactly(0L, 7L);
    }

    @Test
    void configParsing() {
        BudgetConfig c = BudgetConfig.fromJson(Json.mapper().readTree("""
                {"storage-budget": "20GB", "storage-budget-high": 95, "storage-budget-keep": ["busybox:*"]}"""));
        assertThat(c.budgetBytes()).isEqualTo(20_000_000_000L);
        assertThat(c.highBytes()).isEqualTo(19_000_000_000L);
        assertThat(c.lowBytes()).isEqualTo(16_000_000_000L);
        assertThat(c.keeps("busybox:latest")).isTrue();
        assertThat(c.keeps("alpine:latest")).isFalse();
        assertThat(BudgetConfig.parseSize("1.5GiB")).isEqualTo(1610612736L);
        assertThat(BudgetConfig.parseSize("512")).isEqualTo(512);
        assertThat(BudgetConfig.fromJson(Json.mapper().readTree("{}"))).isEqualTo(BudgetConfig.NONE);
        assertThatThrownBy(() -> BudgetConfig.parseSize("lots")).hasMessageContaining("invalid size");
        assertThatThrownBy(() -> new BudgetConfig(10, 50, 80, List.of())).hasMessageContaining("watermarks");
    }

    @Test
    void lastUseRecordsFirstSightingAndUseAndPersists(@TempDir Path dir) {
        Path f = dir.resolve("budget/last-used.json");
        LastUse lu = new LastUse(f);
        Instant t1 = Instant.ofEpochSecond(100);
        Instant t2 = Instant.ofEpochSecond(200);
        lu.update(Set.of("a", "b"), Set.of(), t1);
        Map<String, Instant> m = lu.update(Set.of("a", "b"), Set.of("b"), t2);
        assertThat(m).containsEntry("a", t1).containsEntry("b", t2);
        assertThat(Files.exists(f)).isTrue();
        assertThat(new LastUse(f).update(Set.of("a"), Set.of(), Instant.ofEpochSecond(300))).containsExactly(Map.entry("a", t1));
    }

    @Test
    void duCountsBlocksAndHardLinksOnce(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("f"), new byte[100_000]);
        long one = Du.bytes(dir);
        Files.createLink(dir.resolve("g"), dir.resolve("f"));
        assertThat(Du.bytes(dir)).isEqualTo(one);
        assertThat(one).isGreaterThanOrEqualTo(100_000);
    }
}
