package dev.berth.daemon.distribution;

import dev.berth.common.Digest;
import dev.berth.common.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.core.type.TypeReference;

/**
 * Which repositories are known to hold a blob (dockerd's v2 metadata, reduced): recorded after
 * each push and pull, so that pushing the same layer to another repository of the same registry
 * tries a cross-repository mount first ("Mounted from bb") instead of uploading it again. Owns
 * {@code <data-root>/distribution/blob-sources.json} (rewritten atomically; a lost or corrupt file
 * only costs mounts). Thread-safe.
 */
final class BlobSources {
    /** Repositories remembered per blob; older ones are dropped first. */
    private static final int MAX_PER_BLOB = 16;

    private final Path file;
    private final Map<String, LinkedHashSet<String>> sources = new TreeMap<>();

    BlobSources(Path file) {
        this.file = file;
        try {
            if (Files.exists(file)) {
                Map<String, List<String>> m = Json.mapper().readValue(Files.readAllBytes(file), new TypeReference<Map<String, List<String>>>() {});
                m.forEach((k, v) -> sources.put(k, new LinkedHashSet<>(v)));
            }
        } catch (IOException | RuntimeException e) {
            // Only an optimisation: start afresh.
        }
    }

    /** Records that repository {@code domain/path} holds each of {@code blobs}. */
    synchronized void record(Collection<Digest> blobs, String domain, String path) {
        String repo = domain + "/" + path;
        boolean changed = false;
        for (Digest d : blobs) {
            LinkedHashSet<String> s = sources.computeIfAbsent(d.toString(), k -> new LinkedHashSet<>());
            s.remove(repo);
            s.add(repo); // most recent last
            while (s.size() > MAX_PER_BLOB) {
                s.remove(s.iterator().next());
            }
            changed = true;
        }
        if (changed) {
            save();
        }
    }

    /** Repository paths in registry {@code domain} known to hold {@code blob}, most recent first. */
    synchronized List<String> candidates(Digest blob, String domain) {
        Set<String> s = sources.get(blob.toString());
        List<String> out = new ArrayList<>();
        if (s != null) {
            for (String repo : s) {
                if (repo.startsWith(domain + "/")) {
                    out.addFirst(repo.substring(domain.length() + 1));
                }
            }
        }
        return out;
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".blob-sources-", ".tmp");
            try {
                Files.write(tmp, Json.mapper().writeValueAsBytes(sources));
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            // Only an optimisation: the next push uploads instead of mounting.
        }
    }
}
