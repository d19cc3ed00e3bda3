package dev.berth.daemon.build;

import dev.berth.api.backend.ContainerBackend;
import dev.berth.api.model.ContainerSummary;
import dev.berth.common.Filters;
import dev.berth.daemon.budget.Du;
import dev.berth.image.ImageService;
import dev.berth.image.LocalImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the build cache holds and how to free it. The classic builder's cache is made of
 * ordinary images (one per step) that the {@link BuildCache} index points at:
 * <ul>
 *   <li>an entry is <em>shared</em> when its image is part of a tagged image (it or a parent of
 *       one): its bytes are already counted under Images, and the CLI leaves them out of the build
 *       cache size, as it does BuildKit's shared records;</li>
 *   <li>an entry is <em>in use</em> when a container runs on its image (or a descendant);</li>
 *   <li>its size is its own layer (image size minus its parent's).</li>
 * </ul>
 * {@link #prune} removes the cached images that are neither (leaves first), drops the index
 * entries whose image is gone, and reports the bytes that left the data root ({@code du} before
 * and after). Thread-safe (prunes are serialized).
 */
final class BuildCacheUsage {
    private final BuildCache cache;
    private final ImageService images;
    private final ContainerBackend containers;
    private final Path dataRoot;

    BuildCacheUsage(BuildCache cache, ImageService images, ContainerBackend containers, Path dataRoot) {
        this.cache = cache;
        this.images = images;
        this.containers = containers;
        this.dataRoot = dataRoot;
    }

    /** {@code GET /system/df} BuildCache entries (swagger BuildCache shape). */
    List<Map<String, Object>> entries() {
        Map<String, LocalImage> byId = byId();
        Set<String> shared = closure(byId, tagged(byId));
        Set<String> inUse = closure(byId, usedByContainers());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, BuildCache.Entry> e : cache.entries().entrySet()) {
            BuildCache.Entry c = e.getValue();
            LocalImage img = byId.get(c.imageId());
            if (img == null) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ID", e.getKey().startsWith("sha256:") ? e.getKey().substring(7, 32) : e.getKey());
            m.put("Parent", img.parent() == null ? "" : img.parent());
            m.put("Parents", img.parent() == null || img.parent().isEmpty() ? List.of() : List.of(img.parent()));
            m.put("Type", "regular");
            m.put("Description", c.description() == null ? "" : c.description());
            m.put("InUse", inUse.contains(img.id()));
            m.put("Shared", shared.contains(img.id()));
            m.put("Size", ownSize(img, byId));
            m.put("CreatedAt", c.createdAt() == null ? img.created() : c.createdAt());
            m.put("LastUsedAt", c.lastUsedAt());
            m.put("UsageCount", c.usageCount());
            out.add(m);
        }
        return out;
    }

    /** Removes unshared, unused cached images; returns the bytes reclaimed. */
    synchronized long prune() {
        long before = Du.bytes(dataRoot);
        Map<String, LocalImage> byId = byId();
        Set<String> keep = closure(byId, tagged(byId));
        keep.addAll(closure(byId, usedByContainers()));
        Set<String> todo = new HashSet<>(cache.imageIds());
        todo.removeIf(id -> keep.contains(id) || !byId.containsKey(id));
        boolean progress = true;
        while (!todo.isEmpty() && progress) {
            progress = false;
            for (String id : List.copyOf(todo)) {
                try {
                    images.remove(id, false, true, x -> false);
                    todo.remove(id);
                    progress = true;
                } catch (RuntimeException childrenFirst) {
                    // still has a child among the candidates (or is gone): retry in the next pass
                    if (images.find(id).isEmpty()) {
                        todo.remove(id);
                        progress = true;
                    }
                }
            }
        }
        cache.prune(id -> images.find(id).isPresent());
        return Math.max(0, before - Du.bytes(dataRoot));
    }

    private Map<String, LocalImage> byId() {
        Map<String, LocalImage> m = new HashMap<>();
        for (LocalImage i : images.list()) {
            m.put(i.id(), i);
        }
        return m;
    }

    private static Set<String> tagged(Map<String, LocalImage> byId) {
        Set<String> s = new HashSet<>();
        for (LocalImage i : byId.values()) {
            if (i.repoTags() != null && i.repoTags().stream().anyMatch(t -> !t.equals("<none>:<none>"))) {
                s.add(i.id());
            }
        }
        return s;
    }

    private Set<String> usedByContainers() {
        Set<String> s = new HashSet<>();
        for (ContainerSummary c : containers.list(true, 0, false, Filters.NONE)) {
            if (c.imageId() != null) {
                s.add(c.imageId());
            }
        }
        return s;
    }

    /** The images and all their parents. */
    private static Set<String> closure(Map<String, LocalImage> byId, Set<String> roots) {
        Set<String> out = new HashSet<>();
        for (String r : roots) {
            String id = r;
            while (id != null && !id.isEmpty() && out.add(id)) {
                LocalImage i = byId.get(id);
                id = i == null ? null : i.parent();
            }
        }
        return out;
    }

    private static long ownSize(LocalImage img, Map<String, LocalImage> byId) {
        LocalImage p = img.parent() == null ? null : byId.get(img.parent());
        return Math.max(0, img.size() - (p == null ? 0 : p.size()));
    }
}
