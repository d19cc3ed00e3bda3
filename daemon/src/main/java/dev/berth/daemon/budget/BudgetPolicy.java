package dev.berth.daemon.budget;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The disk budget's decision, as a pure function: when usage is above the high watermark, choose
 * what to remove, oldest use first within each class and the classes in this order — unused build
 * cache, then dangling (untagged) images, then unused tagged images — until the predicted usage
 * is at or below the low watermark. Never chosen: images used by any container (running or not),
 * images pinned by the {@code berth.pin=true} label or a {@code storage-budget-keep} pattern.
 * An image's predicted gain is the size of the layers no remaining image uses; a candidate that
 * would free nothing now is skipped (removing it would lose a tag for no space).
 */
public final class BudgetPolicy {
    private BudgetPolicy() {}

    /** Removal classes, in the order they are used up. */
    public enum Kind { BUILD_CACHE, DANGLING_IMAGE, UNUSED_IMAGE }

    /** A build cache record that nothing uses, with its size and last use. */
    public record CacheEntry(String id, long size, Instant lastUsed) {}

    /** One chosen removal and the bytes it is predicted to free. */
    public record Removal(Kind kind, String id, List<String> refs, long freedBytes) {}

    /** The decision: {@code removals} in execution order; {@code predictedBytes} the usage after them. */
    public record Plan(long usedBytes, long targetBytes, List<Removal> removals, long predictedBytes) {
        public boolean overBudget() {
            return !removals.isEmpty() || predictedBytes > targetBytes;
        }
    }

    /**
     * @param usedBytes  measured bytes under the data root
     * @param images     every local image with its layers
     * @param inUse      image ids used by a container (running or stopped)
     * @param lastUsed   image id → last time a container used it (or first time Berth saw the image)
     * @param cache      unused build cache entries
     */
    public static Plan plan(BudgetConfig cfg, long usedBytes, List<ImageLayers.ImageInfo> images, Set<String> inUse,
            Map<String, Instant> lastUsed, List<CacheEntry> cache) {
        if (!cfg.enabled() || usedBytes <= cfg.highBytes()) {
            return new Plan(usedBytes, cfg.lowBytes(), List.of(), usedBytes);
        }
        long target = cfg.lowBytes();
        long used = usedBytes;
        List<Removal> out = new ArrayList<>();
        List<CacheEntry> caches = new ArrayList<>(cache);
        caches.sort(Comparator.comparing(CacheEntry::lastUsed).thenComparing(CacheEntry::id));
        for (CacheEntry c : caches) {
            if (used <= target) {
                break;
            }
            if (c.size() > 0) {
                out.add(new Removal(Kind.BUILD_CACHE, c.id(), List.of(), c.size()));
                used -= c.size();
            }
        }
        Map<String, Integer> refs = new HashMap<>(ImageLayers.refCounts(images));
        for (Kind kind : List.of(Kind.DANGLING_IMAGE, Kind.UNUSED_IMAGE)) {
            List<ImageLayers.ImageInfo> candidates = new ArrayList<>();
            for (ImageLayers.ImageInfo i : images) {
                List<String> tags = i.image().repoTags() == null ? List.of() : i.image().repoTags();
                boolean dangling = tags.isEmpty();
                if ((kind == Kind.DANGLING_IMAGE) != dangling || inUse.contains(i.image().id()) || pinned(cfg, i)) {
                    continue;
                }
                candidates.add(i);
            }
            candidates.sort(Comparator.comparing((ImageLayers.ImageInfo i) -> lastUsed.getOrDefault(i.image().id(), Instant.EPOCH))
                    .thenComparing(i -> i.image().id()));
            for (ImageLayers.ImageInfo i : candidates) {
                if (used <= target) {
                    break;
                }
                long freed = 0;
                for (ImageLayers.Layer l : i.layers()) {
                    if (refs.getOrDefault(l.chainId(), 0) == 1) {
                        freed += l.size();
                    }
                }
                if (freed == 0) {
                    continue;
                }
                for (ImageLayers.Layer l : i.layers()) {
                    refs.merge(l.chainId(), -1, Integer::sum);
                }
                out.add(new Removal(kind, i.image().id(), i.image().repoTags() == null ? List.of() : i.image().repoTags(), freed));
                used -= freed;
            }
        }
        return new Plan(usedBytes, target, out, used);
    }

    /** Pinned: the {@code berth.pin=true} label, or a tag matching a keep pattern. */
    static boolean pinned(BudgetConfig cfg, ImageLayers.ImageInfo i) {
        Map<String, String> labels = i.image().labels();
        if (labels != null && "true".equalsIgnoreCase(labels.get(BudgetConfig.PIN_LABEL))) {
            return true;
        }
        if (i.image().repoTags() != null) {
            for (String t : i.image().repoTags()) {
                if (cfg.keeps(t)) {
                    return true;
                }
            }
        }
        return false;
    }
}
