package dev.berth.store;

import dev.berth.oci.Mount;
import java.util.List;
import java.util.Optional;

/**
 * Snapshots as containerd defines them: a committed snapshot is an immutable layer named by its
 * chain id; an active snapshot is a writable layer (key chosen by the caller, e.g. {@code ctr-<id>})
 * over a committed parent; a view is a read-only active snapshot. Snapshotters never mount: they
 * return the mounts as data, and {@code sys} performs them.
 *
 * <p>Lifecycle: {@code prepare(key, parent)} → write into the mounts → {@code commit(name, key)} or
 * {@code remove(key)}. A snapshot with children cannot be removed. Metadata survives restarts and a
 * crash at any moment leaves a store that opens. Implementations are thread-safe. Failures are
 * {@link dev.berth.common.BerthException}s: NOT_FOUND (unknown key or parent), CONFLICT (key exists,
 * snapshot has children), INVALID_ARGUMENT (wrong kind, e.g. mounting a committed snapshot).
 */
public interface Snapshotter {
    /** Creates an active snapshot {@code key} over {@code parent} (committed name, or null for none). */
    List<Mount> prepare(String key, String parent);

    /** Creates a read-only view {@code key} of {@code parent}. */
    List<Mount> view(String key, String parent);

    /** Turns active snapshot {@code key} into committed snapshot {@code name}. */
    void commit(String name, String key);

    /** Removes a snapshot; NOT_FOUND when absent, CONFLICT when it has children. */
    void remove(String key);

    /** The mounts of an active snapshot or view. */
    List<Mount> mounts(String key);

    /** Bytes used by the snapshot's own directory (not its parents). */
    long usage(String key);

    Optional<SnapshotInfo> stat(String key);

    List<SnapshotInfo> list();
}
