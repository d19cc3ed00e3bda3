package dev.berth.image.fs;

import java.time.Instant;

/**
 * What {@code HEAD /containers/{id}/archive} reports about a path (Docker's {@code PathStat}):
 * {@code name} is the base name of the requested path, {@code mode} uses Go's {@code os.FileMode}
 * bits, {@code linkTarget} is the absolute container path a symlink finally resolves to (empty
 * when not a symlink).
 */
public record FileStat(String name, long size, long mode, Instant mtime, String linkTarget) {
    public static final long MODE_DIR = 1L << 31;
    public static final long MODE_SYMLINK = 1L << 27;
    public static final long MODE_DEVICE = 1L << 26;
    public static final long MODE_NAMED_PIPE = 1L << 25;
    public static final long MODE_SOCKET = 1L << 24;
    public static final long MODE_SETUID = 1L << 23;
    public static final long MODE_SETGID = 1L << 22;
    public static final long MODE_CHAR_DEVICE = 1L << 21;
    public static final long MODE_STICKY = 1L << 20;

    /** Converts a Unix {@code st_mode} to Go's {@code os.FileMode}. */
    public static long goMode(int unixMode) {
        long m = unixMode & 0777;
        switch (unixMode & 0170000) {
            case 0040000 -> m |= MODE_DIR;
            case 0120000 -> m |= MODE_SYMLINK;
            case 0060000 -> m |= MODE_DEVICE;
            case 0020000 -> m |= MODE_DEVICE | MODE_CHAR_DEVICE;
            case 0010000 -> m |= MODE_NAMED_PIPE;
            case 0140000 -> m |= MODE_SOCKET;
            default -> { }
        }
        if ((unixMode & 04000) != 0) {
            m |= MODE_SETUID;
        }
        if ((unixMode & 02000) != 0) {
            m |= MODE_SETGID;
        }
        if ((unixMode & 01000) != 0) {
            m |= MODE_STICKY;
        }
        return m;
    }

    public boolean isDirectory() {
        return (mode & MODE_DIR) != 0;
    }

    public boolean isSymlink() {
        return (mode & MODE_SYMLINK) != 0;
    }
}
