package dev.berth.store;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import dev.berth.oci.Mount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Overlayfs snapshotter. Layout under its root: {@code metadata.json} (all snapshot records,
 * rewritten atomically) and {@code snapshots/<id>/{fs,work}}. A snapshot directory is built under a
 * temp name and renamed into place before the metadata names it; directories the metadata does not
 * name are leftovers of a crash and are deleted at construction. Active snapshots without a parent
 * mount as a bind of their {@code fs}; with parents as {@code overlay}. Thread-safe (one lock).
 */
public final class OverlaySnapshotter implements Snapshotter {
    /** Linux limits a mount's option page to 4096 bytes. */
    static final int MAX_OPTIONS = 4095;
    private final Path root;
    private final Path dirs;
    private final Path metaFile;
    private final Map<String, SnapshotInfo> snapshots = new LinkedHashMap<>();
    private long nextId = 1;

    /** Stored form of the metadata file. */
    record Meta(long nextId, List<SnapshotInfo> snapshots) {}

    public OverlaySnapshotter(Path root) {
        this.root = root;
        this.dirs = root.resolve("snapshots");
        this.metaFile = root.resolve("metadata.json");
        try {
            Files.createDirectories(dirs);
            AtomicFiles.sweepTemps(root);
            if (Files.exists(metaFile)) {
                Meta m = Json.mapper().readValue(Files.readAllBytes(metaFile), Meta.class);
                nextId = m.nextId();
                for (SnapshotInfo s : m.snapshots()) {
                    snapshots.put(s.key(), s);
                }
            }
            cleanup();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open snapshotter at " + root, e);
        }
    }

    private void cleanup() throws IOException {
        Set<String> known = new HashSet<>();
        snapshots.values().forEach(s -> known.add(s.id()));
        try (var s = Files.list(dirs)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (!known.contains(p.getFileName().toString())) {
                    AtomicFiles.deleteTree(p);
                }
            }
        }
        // Records whose directory vanished cannot be mounted; drop them (children first fails safe).
        boolean changed = snapshots.values().removeIf(info -> !Files.isDirectory(dirs.resolve(info.id()).resolve("fs")));
        if (changed) {
            save();
        }
    }

    @Override
    public synchronized List<Mount> prepare(String key, String parent) {
        create(key, parent, SnapshotInfo.Kind.ACTIVE);
        return mounts(key);
    }

    @Override
    public synchronized List<Mount> view(String key, String parent) {
        create(key, parent, SnapshotInfo.Kind.VIEW);
        return mounts(key);
    }

    private void create(String key, String parent, SnapshotInfo.Kind kind) {
        requireKey(key);
        if (snapshots.containsKey(key)) {
            throw BerthException.conflict("snapshot %s: already exists", key);
        }
        if (parent != null) {
            SnapshotInfo p = get(parent);
            if (p.kind() != SnapshotInfo.Kind.COMMITTED) {
                throw BerthException.invalid("parent snapshot %s is not committed", parent);
            }
        }
        String id = Long.toString(nextId++);
        Path tmp = root.resolve(AtomicFiles.TMP_PREFIX + "new-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp.resolve("fs"));
            Files.createDirectories(tmp.resolve("work"));
            Files.move(tmp, dirs.resolve(id), StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.fsyncDir(dirs);
            snapshots.put(key, new SnapshotInfo(key, id, parent, kind, System.currentTimeMillis()));
            save();
        } catch (IOException e) {
            snapshots.remove(key);
            try {
                AtomicFiles.deleteTree(tmp);
                AtomicFiles.deleteTree(dirs.resolve(id));
            } catch (IOException ignored) {
                // Swept at next start.
            }
            throw new UncheckedIOException("cannot create snapshot " + key, e);
        }
    }

    @Override
    public synchronized void commit(String name, String key) {
        requireKey(name);
        SnapshotInfo s = get(key);
        if (s.kind() != SnapshotInfo.Kind.ACTIVE) {
            throw BerthException.invalid("snapshot %s is not active", key);
        }
        if (snapshots.containsKey(name)) {
            throw BerthException.conflict("snapshot %s: already exists", name);
        }
        snapshots.remove(key);
        snapshots.put(name, new SnapshotInfo(name, s.id(), s.parent(), SnapshotInfo.Kind.COMMITTED, System.currentTimeMillis()));
        try {
            save();
        } catch (IOException e) {
            snapshots.remove(name);
            snapshots.put(key, s);
            throw new UncheckedIOException("cannot commit snapshot " + key, e);
        }
    }

    /**
     * Commits active snapshot {@code key}, prepared without a parent, as committed snapshot
     * {@code name} over committed {@code parent} (null: none). For layer unpacking only: an
     * overlay upper directory does not depend on its lowers (whiteouts are stored as devices and
     * xattrs, not applied), so a pull can unpack layers in any order and stack them at commit.
     * Do not use it for snapshots that were mounted: what they saw below would change.
     */
    public synchronized void commit(String name, String key, String parent) {
        requireKey(name);
        SnapshotInfo s = get(key);
        if (s.parent() != null) {
            throw BerthException.invalid("snapshot %s already has parent %s", key, s.parent());
        }
        if (parent != null && get(parent).kind() != SnapshotInfo.Kind.COMMITTED) {
            throw BerthException.invalid("parent snapshot %s is not committed", parent);
        }
        if (s.kind() != SnapshotInfo.Kind.ACTIVE) {
            throw BerthException.invalid("snapshot %s is not active", key);
        }
        if (snapshots.containsKey(name)) {
            throw BerthException.conflict("snapshot %s: already exists", name);
        }
        snapshots.remove(key);
        snapshots.put(name, new SnapshotInfo(name, s.id(), parent, SnapshotInfo.Kind.COMMITTED, System.currentTimeMillis()));
        try {
            save();
        } catch (IOException e) {
            snapshots.remove(name);
            snapshots.put(key, s);
            throw new UncheckedIOException("cannot commit snapshot " + key, e);
        }
    }

    @Override
    public synchronized void remove(String key) {
        SnapshotInfo s = get(key);
        for (SnapshotInfo o : snapshots.values()) {
            if (key.equals(o.parent())) {
                throw BerthException.conflict("cannot remove snapshot %s: it has children (%s)", key, o.key());
            }
        }
        snapshots.remove(key);
        try {
            save();
        } catch (IOException e) {
            snapshots.put(key, s);
            throw new UncheckedIOException("cannot remove snapshot " + key, e);
        }
        try {
            AtomicFiles.deleteTreeAtomically(dirs.resolve(s.id()));
        } catch (IOException e) {
            // The metadata no longer names it: the next start deletes the directory.
        }
    }

    /** Whether some snapshot names {@code key} as its parent. */
    public synchronized boolean hasChildren(String key) {
        return snapshots.values().stream().anyMatch(o -> key.equals(o.parent()));
    }

    @Override
    public synchronized List<Mount> mounts(String key) {
        SnapshotInfo s = get(key);
        List<String> lowers = new ArrayList<>();
        for (String p = s.parent(); p != null; p = get(p).parent()) {
            lowers.add(fs(get(p)).toString());
        }
        switch (s.kind()) {
            case COMMITTED -> throw BerthException.invalid("snapshot %s is committed and cannot be mounted", key);
            case ACTIVE -> {
                if (lowers.isEmpty()) {
                    return List.of(new Mount("bind", fs(s).toString(), null, List.of("rbind", "rw")));
                }
                String opts = "lowerdir=" + String.join(":", lowers);
                List<String> options = List.of("index=off", "workdir=" + work(s), "upperdir=" + fs(s), opts);
                checkLength(key, options);
                return List.of(new Mount("overlay", "overlay", null, options));
            }
            case VIEW -> {
                if (lowers.isEmpty()) {
                    return List.of(new Mount("bind", fs(s).toString(), null, List.of("rbind", "ro")));
                }
                if (lowers.size() == 1) {
                    return List.of(new Mount("bind", lowers.getFirst(), null, List.of("rbind", "ro")));
                }
                List<String> options = List.of("index=off", "lowerdir=" + String.join(":", lowers));
                checkLength(key, options);
                return List.of(new Mount("overlay", "overlay", null, options));
            }
        }
        throw new IllegalStateException();
    }

    private static void checkLength(String key, List<String> options) {
        int len = String.join(",", options).getBytes(StandardCharsets.UTF_8).length;
        if (len > MAX_OPTIONS) {
            throw BerthException.invalid("snapshot %s: too many layers for one overlay mount (%d bytes of options)", key, len);
        }
    }

    @Override
    public synchronized long usage(String key) {
        Path dir = fs(get(key));
        try (var s = Files.walk(dir)) {
            Set<Object> seen = new HashSet<>();
            long total = 0;
            for (Path p : (Iterable<Path>) s::iterator) {
                var a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (a.isRegularFile() && (a.fileKey() == null || seen.add(a.fileKey()))) {
                    total += a.size();
                }
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The writable directory of an active snapshot (overlay's upperdir), or a committed one's content. */
    public synchronized Path upperDir(String key) {
        return fs(get(key));
    }

    @Override
    public synchronized Optional<SnapshotInfo> stat(String key) {
        return Optional.ofNullable(snapshots.get(key));
    }

    @Override
    public synchronized List<SnapshotInfo> list() {
        return List.copyOf(snapshots.values());
    }

    private SnapshotInfo get(String key) {
        SnapshotInfo s = snapshots.get(key);
        if (s == null) {
            throw BerthException.notFound("snapshot %s does not exist", key);
        }
        return s;
    }

    private Path fs(SnapshotInfo s) {
        return dirs.resolve(s.id()).resolve("fs");
    }

    private Path work(SnapshotInfo s) {
        return dirs.resolve(s.id()).resolve("work");
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw BerthException.invalid("snapshot key must not be empty");
        }
    }

    private void save() throws IOException {
        byte[] data = Json.mapper().writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(new Meta(nextId, List.copyOf(snapshots.values())));
        AtomicFiles.write(metaFile, data);
    }
}
