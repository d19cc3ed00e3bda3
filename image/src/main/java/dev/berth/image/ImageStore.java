package dev.berth.image;

import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import dev.berth.common.Json;
import dev.berth.oci.image.ImageConfig;
import dev.berth.store.AtomicFiles;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which images exist: a marker {@code <root>/image/images/<hex>.json} per image, written after its
 * config blob (in the content store) and its layers, so a marker always names a complete image.
 * Parsed configs are cached by id (content-addressed, so never stale). Thread-safe.
 */
final class ImageStore {
    /** Marker content: the local parent (builds only) and when the image was added (epoch ms). */
    record Meta(String id, String parent, long added) {}

    private final Path dir;
    private final ContentStore content;
    private final Map<String, ImageConfig> configs = new ConcurrentHashMap<>();

    ImageStore(Path dir, ContentStore content) {
        this.dir = dir;
        this.content = content;
        try {
            Files.createDirectories(dir);
            AtomicFiles.sweepTemps(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stores config bytes and marks the image present; returns its id. Idempotent. */
    String add(byte[] config, String parent) {
        Digest id = content.put(config);
        Path f = file(id.toString());
        if (!Files.exists(f)) {
            try {
                AtomicFiles.write(f, Json.mapper().writeValueAsBytes(new Meta(id.toString(), parent == null ? "" : parent, System.currentTimeMillis())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return id.toString();
    }

    boolean exists(String id) {
        return Files.exists(file(id));
    }

    List<String> ids() {
        List<String> out = new ArrayList<>();
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(".json") && !n.startsWith(AtomicFiles.TMP_PREFIX)) {
                    out.add("sha256:" + n.substring(0, n.length() - 5));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    Meta meta(String id) {
        try {
            return Json.mapper().readValue(Files.readAllBytes(file(id)), Meta.class);
        } catch (java.nio.file.NoSuchFileException e) {
            throw BerthException.notFound("No such image: %s", id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] configBytes(String id) {
        return content.readAll(Digest.parse(id));
    }

    ImageConfig config(String id) {
        return configs.computeIfAbsent(id, k -> parse(configBytes(k)));
    }

    static ImageConfig parse(byte[] config) {
        try {
            return Json.mapper().readValue(config, ImageConfig.class);
        } catch (RuntimeException e) {
            throw BerthException.invalid("invalid image config: %s", e.getMessage());
        }
    }

    /** Removes the marker, then the config blob. */
    void delete(String id) {
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        content.delete(Digest.parse(id));
        configs.remove(id);
    }

    /** Drops markers whose config blob vanished. */
    void sweep() {
        for (String id : ids()) {
            if (!content.exists(Digest.parse(id))) {
                try {
                    Files.deleteIfExists(file(id));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private Path file(String id) {
        return dir.resolve(Digest.parse(id).hex() + ".json");
    }
}
