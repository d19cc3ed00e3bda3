package dev.berth.sys.net;

import java.nio.file.Path;

/**
 * Persistent network namespaces: a new namespace bind-mounted on a file, as {@code ip netns add}
 * does, so that it outlives the process that created it and the OCI runtime can join it by path.
 * Thread-safe.
 */
public interface NetnsOps {
    /** Creates a new, empty namespace (only a down {@code lo}) bound to {@code path}; the parent directory is created. */
    void create(Path path);

    /** Unmounts and removes the namespace file. Absent is not an error. */
    void delete(Path path);

    /** Whether {@code path} is a mounted namespace file. */
    boolean exists(Path path);
}
