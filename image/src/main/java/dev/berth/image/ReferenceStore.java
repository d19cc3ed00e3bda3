package dev.berth.image;

import dev.berth.oci.ref.Reference;

import dev.berth.common.Json;
import dev.berth.store.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Owns {@code <root>/image/repositories.json}: normalized references (tags and digests) to image
 * ids, in the same shape as Docker's ({@code {"Repositories":{name:{ref:id}}}}) but with full names.
 * Every change rewrites the file atomically. Thread-safe.
 */
final class ReferenceStore {
    private final Path file;
    private final Map<String, Map<String, String>> repos = new TreeMap<>();

    ReferenceStore(Path file) {
        this.file = file;
        try {
            if (Files.exists(file)) {
                var node = Json.mapper().readTree(Files.readAllBytes(file)).get("Repositories");
                if (node != null) {
                    for (var repo : node.properties()) {
                        Map<String, String> refs = new TreeMap<>();
                        for (var r : repo.getValue().properties()) {
                            refs.put(r.getKey(), r.getValue().asString());
                        }
                        repos.put(repo.getKey(), refs);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Points {@code ref} at {@code imageId}; returns the id it pointed at before, or null. */
    synchronized String put(Reference ref, String imageId) {
        String old = repos.computeIfAbsent(ref.name(), k -> new TreeMap<>()).put(ref.toString(), imageId);
        save();
        return old;
    }

    synchronized String get(Reference ref) {
        Map<String, String> m = repos.get(ref.name());
        return m == null ? null : m.get(ref.toString());
    }

    synchronized boolean remove(Reference ref) {
        Map<String, String> m = repos.get(ref.name());
        if (m == null || m.remove(ref.toString()) == null) {
            return false;
        }
        if (m.isEmpty()) {
            repos.remove(ref.name());
        }
        save();
        return true;
    }

    /** All references to {@code imageId}, sorted. */
    synchronized List<Reference> referencesTo(String imageId) {
        List<Reference> out = new ArrayList<>();
        repos.values().forEach(m -> m.forEach((r, id) -> {
            if (id.equals(imageId)) {
                out.add(Reference.parse(r));
            }
        }));
        return out;
    }

    /** All references in repository {@code name} (full name). */
    synchronized List<Reference> referencesByName(String name) {
        Map<String, String> m = repos.get(name);
        return m == null ? List.of() : m.keySet().stream().map(Reference::parse).toList();
    }

    /** Drops references to images that no longer exist (after a crash between image delete and untag). */
    synchronized void retainImages(java.util.function.Predicate<String> exists) {
        boolean changed = false;
        for (var it = repos.values().iterator(); it.hasNext(); ) {
            Map<String, String> m = it.next();
            changed |= m.values().removeIf(id -> !exists.test(id));
            if (m.isEmpty()) {
                it.remove();
            }
        }
        if (changed) {
            save();
        }
    }

    private void save() {
        try {
            AtomicFiles.write(file, Json.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(Map.of("Repositories", repos)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
