package dev.berth.daemon.budget;

import dev.berth.common.BerthException;
import dev.berth.daemon.events.EventPublisher;
import dev.berth.image.ImageService;
import dev.berth.image.LocalImage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Enforces the disk budget ({@link BudgetConfig}): measures the data root, asks
 * {@link BudgetPolicy} what to remove, removes it (re-checking that no container uses an image
 * right before removing it, untagging tag by tag, never forcing), publishes {@code image untag} /
 * {@code image delete} events with {@code reason=storage-budget}, and repeats while the data root is
 * still above the low watermark (at most three rounds per check). Runs every minute on a virtual
 * thread and soon after {@link #changed()} (call it after pulls, loads, imports, builds, commits).
 * Lifecycle: construct, {@link #start()}, {@link #close()}. Thread-safe; checks never overlap.
 */
public final class StorageBudget implements AutoCloseable {
    /** Build cache access for the budget; {@link #NONE} until the builder keeps a cache. */
    public interface BuildCache {
        BuildCache NONE = new BuildCache() {
            @Override
            public List<BudgetPolicy.CacheEntry> unused() {
                return List.of();
            }

            @Override
            public void remove(String id) {}
        };

        List<BudgetPolicy.CacheEntry> unused();

        void remove(String id);
    }

    /** What one check did. */
    public record Report(long usedBefore, long usedAfter, List<BudgetPolicy.Removal> removed) {}

    private final BudgetConfig cfg;
    private final Path dataRoot;
    private final ImageService images;
    private final Function<String, List<ImageService.ContainerUse>> users;
    private final Supplier<Set<String>> imagesInUse;
    private final BuildCache cache;
    private final EventPublisher events;
    private final Clock clock;
    private final Consumer<String> log;
    private final LastUse lastUse;
    private final Object checkLock = new Object();
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile Thread ticker;
    private volatile boolean closed;
    private boolean warned; // guarded by checkLock

    /**
     * @param users       containers using an image id (ContainerManager::containersUsingImage)
     * @param imagesInUse image ids used by any container (ContainerManager::imageIdsInUse)
     * @param log         receives one line per removal and per failed removal
     */
    public StorageBudget(BudgetConfig cfg, Path dataRoot, ImageService images, Function<String, List<ImageService.ContainerUse>> users,
            Supplier<Set<String>> imagesInUse, BuildCache cache, EventPublisher events, Clock clock, Consumer<String> log) {
        this.cfg = cfg;
        this.dataRoot = dataRoot;
        this.images = images;
        this.users = users;
        this.imagesInUse = imagesInUse;
        this.cache = cache == null ? BuildCache.NONE : cache;
        this.events = events;
        this.clock = clock;
        this.log = log;
        this.lastUse = new LastUse(dataRoot.resolve("budget").resolve("last-used.json"));
    }

    /**
     * The usual construction: which containers use which image comes from a list of every
     * container in any state (e.g. {@code ContainerUsage::containers}), asked afresh each time.
     */
    public static StorageBudget create(BudgetConfig cfg, Path dataRoot, ImageService images,
            Supplier<List<dev.berth.api.model.ContainerSummary>> allContainers, EventPublisher events, Consumer<String> log) {
        Function<String, List<ImageService.ContainerUse>> users = id -> allContainers.get().stream()
                .filter(c -> id.equals(c.imageId()))
                .map(c -> new ImageService.ContainerUse(c.id(), "running".equals(c.state()) || "paused".equals(c.state())))
                .toList();
        Supplier<Set<String>> inUse = () -> {
            Set<String> ids = new HashSet<>();
            allContainers.get().forEach(c -> ids.add(c.imageId()));
            return ids;
        };
        return new StorageBudget(cfg, dataRoot, images, users, inUse, BuildCache.NONE, events, Clock.systemUTC(), log);
    }

    /** Starts the once-a-minute check (no-op when no budget is configured). */
    public void start() {
        if (!cfg.enabled()) {
            return;
        }
        ticker = Thread.ofVirtual().name("berth-storage-budget").start(() -> {
            while (!closed) {
                try {
                    check();
                } catch (RuntimeException e) {
                    log.accept("storage budget check failed: " + e.getMessage());
                }
                synchronized (pending) {
                    try {
                        if (!pending.get()) {
                            pending.wait(Duration.ofMinutes(1).toMillis());
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    pending.set(false);
                }
            }
        });
    }

    /** Asks for a check soon (after something added data); coalesced, never blocks. */
    public void changed() {
        synchronized (pending) {
            pending.set(true);
            pending.notifyAll();
        }
    }

    /** Measures and, if above the high watermark, cleans up to the low one. */
    public Report check() {
        synchronized (checkLock) {
            long before = Du.bytes(dataRoot);
            long used = before;
            List<BudgetPolicy.Removal> done = new ArrayList<>();
            for (int round = 0; round < 3 && cfg.enabled(); round++) {
                List<ImageLayers.ImageInfo> infos = ImageLayers.of(images);
                Set<String> inUse = new HashSet<>(imagesInUse.get());
                Set<String> all = new HashSet<>();
                infos.forEach(i -> all.add(i.image().id()));
                BudgetPolicy.Plan plan = BudgetPolicy.plan(cfg, used, infos, inUse, lastUse.update(all, inUse, clock.instant()),
                        cache.unused());
                if (plan.removals().isEmpty()) {
                    if (used > cfg.highBytes() && !warned) {
                        warned = true;
                        log.accept("storage budget: data root uses " + used + " bytes, above the high watermark of "
                                + cfg.highBytes() + ", but nothing is removable (every image is used by a container or pinned)");
                    }
                    break;
                }
                warned = false;
                for (BudgetPolicy.Removal r : plan.removals()) {
                    if (execute(r)) {
                        done.add(r);
                    }
                }
                used = Du.bytes(dataRoot);
                if (used <= cfg.lowBytes()) {
                    break;
                }
            }
            return new Report(before, used, done);
        }
    }

    private boolean execute(BudgetPolicy.Removal r) {
        try {
            switch (r.kind()) {
                case BUILD_CACHE -> {
                    cache.remove(r.id());
                    events.publish("builder", "prune", r.id(), Map.of("reason", "storage-budget"));
                }
                case DANGLING_IMAGE, UNUSED_IMAGE -> removeImage(r.id());
            }
            log.accept("storage budget: removed " + r.kind().name().toLowerCase().replace('_', ' ') + " " + r.id()
                    + (r.refs().isEmpty() ? "" : " " + r.refs()) + " (about " + r.freedBytes() + " bytes)");
            return true;
        } catch (BerthException e) {
            // used meanwhile, vanished, or has child images: skipped, as prune does
            log.accept("storage budget: kept " + r.id() + ": " + e.getMessage());
            return false;
        }
    }

    private void removeImage(String id) {
        if (!users.apply(id).isEmpty()) {
            throw BerthException.conflict("image %s is used by a container", id);
        }
        LocalImage img = images.get(id);
        List<String> refs = img.repoTags() == null ? List.of() : List.copyOf(img.repoTags());
        List<ImageService.DeleteItem> items = new ArrayList<>();
        for (String ref : refs) {
            items.addAll(images.removeImage(ref, false, false, users));
        }
        if (images.find(id).isPresent()) {
            items.addAll(images.removeImage(id, false, false, users));
        }
        for (ImageService.DeleteItem d : items) {
            Map<String, String> attrs = new LinkedHashMap<>();
            attrs.put("reason", "storage-budget");
            if (d.untagged() != null) {
                attrs.put("name", d.untagged());
                events.publish("image", "untag", id, attrs);
            } else if (id.equals(d.deleted())) { // layer deletions are not image events
                attrs.put("name", d.deleted());
                events.publish("image", "delete", d.deleted(), attrs);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread t = ticker;
        if (t != null) {
            t.interrupt();
        }
    }
}
