package dev.berth.daemon.build;

import dev.berth.common.Json;
import dev.berth.store.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import tools.jackson.core.type.TypeReference;

/**
 * The classic builder's cache index: build cache key → image id, persisted as
 * {@code <dataRoot>/builder/cache.json} (temp file, fsync, rename on every change). Entries whose
 * image is gone are ignored on lookup and dropped by {@link #prune}. Thread-safe (synchronized).
 */
final class BuildCache {
    private final Path file;
    private final Map<String, String> entries = new LinkedHashMap<>();

    BuildCache(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.sweepTemps(file.getParent());
            if (Files.exists(file)) {
                Map<String, String> m = Json.mapper().readValue(Files.readAllBytes(file), new TypeReference<Map<String, String>>() {});
                if (m != null) {
                    entries.putAll(m);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            // A corrupt index only costs cache misses: start empty.
        }
    }

    synchronized Optional<String> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    synchronized void put(String key, String imageId) {
        if (key == null || imageId.equals(entries.get(key))) {
            return;
        }
        entries.put(key, imageId);
        save();
    }

    /** Drops entries whose image no longer exists; returns how many were dropped. */
    synchronized int prune(Predicate<String> imageExists) {
        int before = entries.size();
        entries.values().removeIf(id -> !imageExists.test(id));
        if (entries.size() != before) {
            save();
        }
        return before - entries.size();
    }

    private void save() {
        try {
            AtomicFiles.write(file, Json.mapper().writeValueAsBytes(entries));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
