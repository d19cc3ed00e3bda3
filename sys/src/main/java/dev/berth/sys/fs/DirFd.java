package dev.berth.sys.fs;

import dev.berth.sys.unix.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * An open directory ({@code O_PATH|O_DIRECTORY}) that pins one directory inode, so that work
 * relative to it cannot be redirected by a symlink swapped into one of its ancestors afterwards.
 * Children are opened with {@code openat(fd, name, O_NOFOLLOW|O_DIRECTORY)}: a symlink or a
 * non-directory in that place fails instead of being followed. {@link #path()} is the magic link
 * {@code /proc/self/fd/N}, through which {@link java.nio.file.Files} reaches the pinned directory
 * (use {@code NOFOLLOW_LINKS} on the final component).
 *
 * <p>Lifecycle: owned by its creator, closed exactly once. Not thread-safe to close while in use;
 * otherwise the methods may be called from any thread.
 */
public final class DirFd implements AutoCloseable {
    public static final int ENOENT = 2;
    public static final int ENOTDIR = 20;
    public static final int ELOOP = 40;

    private static final int O_DIRECTORY = 0200000;
    private static final int O_NOFOLLOW = 0400000;
    private static final int O_CLOEXEC = 02000000;
    private static final int O_PATH = 010000000;
    private static final int AT_FDCWD = -100;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPENAT = LINKER.downcallHandle(LINKER.defaultLookup().find("openat").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(3));

    private final int fd;
    private final String what;
    private boolean closed;

    private DirFd(int fd, String what) {
        this.fd = fd;
        this.what = what;
    }

    /**
     * Opens a trusted host directory (symlinks in {@code dir} itself ARE followed: it is the
     * daemon's own path, e.g. a container's root or a volume's source).
     */
    public static DirFd open(Path dir) throws IOException {
        return new DirFd(openat(AT_FDCWD, dir.toString(), O_PATH | O_DIRECTORY | O_CLOEXEC), dir.toString());
    }

    /**
     * Opens the directory at {@code path} without following a symlink in its LAST component
     * (earlier components, e.g. a {@code /proc/self/fd/N} magic link, are followed). ENOTDIR when
     * it is a symlink or not a directory.
     */
    public static DirFd openNoFollow(Path path) throws IOException {
        return new DirFd(openat(AT_FDCWD, path.toString(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), path.toString());
    }

    /**
     * Opens the child directory {@code name} (one component, no {@code /}) without following a
     * symlink. Fails with {@link Libc.Errno} ENOENT when absent, ENOTDIR when it is not a real
     * directory (a symlink included).
     */
    public DirFd openChild(String name) throws IOException {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.equals("..")) {
            throw new IOException("invalid path component: \"" + name + "\"");
        }
        return new DirFd(openat(fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), what + "/" + name);
    }

    /** Re-opens this directory (an independent handle on the same inode). */
    public DirFd dup() throws IOException {
        return new DirFd(openat(fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC), what);
    }

    /** {@code /proc/self/fd/N}: a path that always denotes the pinned directory. */
    public Path path() {
        return Path.of("/proc/self/fd/" + fd);
    }

    /** The child {@code name} of the pinned directory (not resolved; use NOFOLLOW operations on it). */
    public Path child(String name) {
        return path().resolve(name);
    }

    public int fd() {
        return fd;
    }

    /** A description for messages (the path it was opened by). */
    public String describe() {
        return what;
    }

    private static int openat(int dirfd, String name, int flags) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment p = a.allocateFrom(name);
            int r = (int) OPENAT.invokeExact(st, dirfd, p, flags);
            if (r < 0) {
                throw new Libc.Errno("openat " + name, (int) ERRNO.get(st, 0L));
            }
            return r;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
    }
}
