package dev.berth.daemon.build;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.common.Json;
import dev.berth.store.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * The classic builder's cache index: build cache key → the image a step made, with what
 * {@code system df} shows of it (instruction, created, last used, use count). Persisted as
 * {@code <dataRoot>/builder/cache.json} (temp file, fsync, rename on every change; an index in
 * the older key → image id form still loads). Entries whose image is gone are ignored on lookup
 * and dropped by {@link #prune}. Thread-safe (synchronized).
 */
final class BuildCache {
    /** One cached step. Times are RFC 3339. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(String imageId, String description, String createdAt, String lastUsedAt, long usageCount) {}

    private final Path file;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private boolean dirty;

    BuildCache(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.sweepTemps(file.getParent());
            if (Files.exists(file)) {
                JsonNode root = Json.mapper().readTree(Files.readAllBytes(file));
                for (Map.Entry<String, JsonNode> e : root.properties()) {
                    JsonNode v = e.getValue();
                    entries.put(e.getKey(), v.isString()
                            ? new Entry(v.asString(), null, null, null, 0)
                            : Json.mapper().treeToValue(v, Entry.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            // A corrupt index only costs cache misses: start empty.
            entries.clear();
        }
    }

    /** The image for a key; counts a use (a cache hit). */
    synchronized Optional<String> get(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        entries.put(key, new Entry(e.imageId(), e.description(), e.createdAt(), Instant.now().toString(),
                e.usageCount() + 1));
        dirty = true; // use counts are written at the next change or flush, not per hit
        return Optional.of(e.imageId());
    }

    /** Without counting a use. */
    synchronized Optional<String> peek(String key) {
        return Optional.ofNullable(entries.get(key)).map(Entry::imageId);
    }

    synchronized void put(String key, String imageId) {
        put(key, imageId, null);
    }

    synchronized void put(String key, String imageId, String description) {
        if (key == null) {
            return;
        }
        Entry old = entries.get(key);
        if (old != null && imageId.equals(old.imageId())) {
            return;
        }
        String now = Instant.now().toString();
        entries.put(key, new Entry(imageId, description, now, now, 1));
        save();
    }

    /** A snapshot of the entries (key → entry). */
    synchronized Map<String, Entry> entries() {
        return new LinkedHashMap<>(entries);
    }

    /** The distinct image ids the index refers to. */
    synchronized List<String> imageIds() {
        List<String> ids = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (!ids.contains(e.imageId())) {
                ids.add(e.imageId());
            }
        }
        return ids;
    }

    /** Drops entries whose image no longer exists; returns how many were dropped. */
    synchronized int prune(Predicate<String> imageExists) {
        int before = entries.size();
        entries.values().removeIf(e -> !imageExists.test(e.imageId()));
        if (entries.size() != before) {
            save();
        }
        return before - entries.size();
    }

    /** Writes pending use counts (called at the end of a build). */
    synchronized void flush() {
        if (dirty) {
            save();
        }
    }

    private void save() {
        dirty = false;
        try {
            AtomicFiles.write(file, Json.mapper().writeValueAsBytes(entries));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
