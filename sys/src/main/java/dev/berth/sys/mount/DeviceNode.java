package dev.berth.sys.mount;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A host device node's identity: type {@code c} or {@code b}, major, minor, mode, owner.
 * Read with lstat through Java's "unix" attribute view (after following symlinks).
 */
public record DeviceNode(String path, String type, long major, long minor, int fileMode, int uid, int gid) {
    private static final int S_IFMT = 0170000, S_IFCHR = 0020000, S_IFBLK = 0060000;

    /** Stats {@code path}; fails if it is neither a character nor a block device. */
    public static DeviceNode stat(Path path) throws IOException {
        Path real = path.toRealPath();
        int mode = (Integer) Files.getAttribute(real, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        long rdev = (Long) Files.getAttribute(real, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
        int uid = (Integer) Files.getAttribute(real, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int gid = (Integer) Files.getAttribute(real, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        String type = switch (mode & S_IFMT) {
            case S_IFCHR -> "c";
            case S_IFBLK -> "b";
            default -> throw new IOException(path + " is not a device node");
        };
        long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
        long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
        return new DeviceNode(path.toString(), type, major, minor, mode & 07777, uid, gid);
    }
}
