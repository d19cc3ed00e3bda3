package dev.berth.daemon.budget;

import dev.berth.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * When each image was last used, for the budget's oldest-use-first order: an image is "used" at
 * every check where a container (running or stopped) refers to it; an image seen for the first
 * time counts as used then (so a fresh pull is not the first to go). Owns
 * {@code <data-root>/budget/last-used.json} (written temp + fsync + rename). Thread-safe.
 */
final class LastUse {
    private final Path file;
    private final Map<String, Instant> times = new HashMap<>();

    LastUse(Path file) {
        this.file = file;
        try {
            if (Files.isRegularFile(file)) {
                JsonNode n = Json.mapper().readTree(Files.readString(file));
                for (String k : n.propertyNames()) {
                    times.put(k, Instant.parse(n.get(k).asString()));
                }
            }
        } catch (IOException | RuntimeException corrupt) {
            times.clear(); // a bad file only loses history: every image counts as used now
        }
    }

    /** Records the ids in use and first sightings at {@code now}; forgets images that are gone. Returns a snapshot. */
    synchronized Map<String, Instant> update(Set<String> allImages, Set<String> inUse, Instant now) {
        times.keySet().retainAll(allImages);
        for (String id : allImages) {
            if (inUse.contains(id) || !times.containsKey(id)) {
                times.put(id, now);
            }
        }
        save();
        return Map.copyOf(times);
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Map<String, String> m = new HashMap<>();
            times.forEach((k, v) -> m.put(k, v.toString()));
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Json.mapper().writeValueAsString(m));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // in-memory times still order this run; the file is only history
        }
    }
}
