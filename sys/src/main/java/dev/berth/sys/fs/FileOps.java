package dev.berth.sys.fs;

import java.nio.file.Path;
import java.util.Optional;

/**
 * File-system calls that {@link java.nio.file.Files} lacks: device nodes and extended attributes
 * in any namespace ({@code trusted.*}, {@code security.*}), without following symlinks.
 * Implementations are stateless and thread-safe. Failures are {@link java.io.IOException}s whose
 * message names the path and the errno text.
 */
public interface FileOps {
    /** File type bits for {@link #mknod}: character device. */
    int S_IFCHR = 0020000;
    /** File type bits for {@link #mknod}: block device. */
    int S_IFBLK = 0060000;
    /** File type bits for {@link #mknod}: FIFO. */
    int S_IFIFO = 0010000;

    /** {@code mknod(path, mode, makedev(major, minor))}; {@code mode} includes the type bits. */
    void mknod(Path path, int mode, int major, int minor) throws java.io.IOException;

    /** {@code lsetxattr(path, name, value, len, 0)}: sets an attribute on the link itself. */
    void setXattr(Path path, String name, byte[] value) throws java.io.IOException;

    /** {@code lgetxattr}; empty when the attribute is absent (ENODATA). */
    Optional<byte[]> getXattr(Path path, String name) throws java.io.IOException;

    /** The Linux implementation (FFM calls into libc). */
    static FileOps linux() {
        return new LinuxFileOps();
    }

    /** Linux {@code makedev} as glibc encodes it. */
    static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL;
        long mi = minor & 0xffffffffL;
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }
}
