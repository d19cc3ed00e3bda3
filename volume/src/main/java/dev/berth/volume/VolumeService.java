package dev.berth.volume;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Named volumes with the {@code local} driver. Owns {@code <data-root>/volumes}: each volume is a
 * directory {@code <name>/_data} plus metadata written atomically. Reference counting is the
 * daemon's (it knows the containers); this service refuses nothing on its own account.
 * Thread-safe.
 */
public interface VolumeService {
    /** Creates (or returns the existing volume of the same name: Docker's create is idempotent). Name null → random 64-hex. */
    VolumeInfo create(String name, String driver, Map<String, String> driverOpts, Map<String, String> labels);

    Optional<VolumeInfo> find(String name);

    /** NOT_FOUND "get <name>: no such volume". */
    VolumeInfo get(String name);

    List<VolumeInfo> list();

    /** Deletes the volume and its data. */
    void remove(String name);

    /** Copies {@code source} (an image directory) into an empty volume, keeping owners, modes and times. No-op if not empty. */
    void seed(String name, Path source);

    /** Bytes used, or -1 when unknown. */
    long size(String name);

    /**
     * The host path to bind-mount. For driver options {@code type/device/o} (local driver with a
     * device), the volume is mounted on first use; {@link #release} unmounts at last release.
     */
    Path acquire(String name);

    void release(String name);

    record VolumeInfo(String name, String driver, Path mountpoint, String createdAt, Map<String, String> labels, Map<String, String> options, boolean anonymous) {}
}
