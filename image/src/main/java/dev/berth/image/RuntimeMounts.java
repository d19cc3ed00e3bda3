package dev.berth.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The mount points the runtime creates in a container's writable layer (Docker keeps them in a
 * separate "init" layer that {@code docker diff} and {@code docker commit} never show): the
 * bind-mount targets {@code /etc/hostname}, {@code /etc/hosts}, {@code /etc/resolv.conf},
 * {@code /.dockerenv} as empty files and the API file systems {@code /dev}, {@code /proc},
 * {@code /sys} … as empty directories — only when the image below lacks them. Directories the
 * overlay copied up just to hold such a mount point (no other entry) are left out too. Pure.
 */
final class RuntimeMounts {
    private static final Set<String> FILES = Set.of("/etc/hostname", "/etc/hosts", "/etc/resolv.conf", "/.dockerenv");
    private static final Set<String> DIRS = Set.of("/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/proc", "/sys");

    private RuntimeMounts() {}

    /** Whether the entry at {@code path} (absolute) in {@code upper} is only a runtime mount point. */
    static boolean skip(Path upper, String path, LayerTarWriter.Attrs a, ImageTree lower) {
        if (FILES.contains(path) && a.type() == LayerTarWriter.S_IFREG && a.size() == 0) {
            return lower.resolve(path).isEmpty();
        }
        if (DIRS.contains(path) && a.type() == LayerTarWriter.S_IFDIR && lower.resolve(path).isEmpty()) {
            return onlyMountPoints(upper, path, lower);
        }
        return false;
    }

    /** A directory in the lower layers whose upper copy holds nothing but skipped mount points. */
    static boolean copiedUpForMounts(Path upper, String path, LayerTarWriter.Attrs a, ImageTree lower) {
        return a.type() == LayerTarWriter.S_IFDIR && lower.resolve(path).isPresent() && hasMountPointChild(path)
                && onlyMountPoints(upper, path, lower);
    }

    private static boolean hasMountPointChild(String dir) {
        String prefix = dir + "/";
        return FILES.stream().anyMatch(f -> f.startsWith(prefix)) || DIRS.stream().anyMatch(d -> d.startsWith(prefix));
    }

    private static boolean onlyMountPoints(Path upper, String dir, ImageTree lower) {
        Path d = upper.resolve(dir.substring(1));
        try (var s = Files.list(d)) {
            for (Path c : (Iterable<Path>) s::iterator) {
                String child = dir + "/" + c.getFileName();
                if (!skip(upper, child, LayerTarWriter.lstat(c), lower)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
