package dev.berth.sys.fs;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.berth.sys.unix.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** {@link FileSpace} through {@code open}, {@code fallocate} and {@code close} downcalls. Stateless and thread-safe. */
final class LinuxFileSpace implements FileSpace {
    private static final int O_WRONLY = 01;
    private static final int O_NOFOLLOW = 0400000;
    private static final int O_CLOEXEC = 02000000;
    private static final int FALLOC_FL_KEEP_SIZE = 0x01;
    private static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    private static final int ENOENT = 2;

    // open is variadic (the mode follows the flags)
    private static final MethodHandle OPEN = Libc.downcall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
    private static final MethodHandle FALLOCATE = Libc.downcall("fallocate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), -1);
    private static final MethodHandle CLOSE = Libc.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), -1);

    @Override
    public boolean punchHole(Path path, Object fileKey, long offset, long length) throws IOException {
        if (length <= 0) {
            return true;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.errnoState(arena);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path.toString()), O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0);
            if (fd < 0) {
                int errno = Libc.errnoOf(state);
                if (errno == ENOENT) {
                    return false;
                }
                throw new IOException("open " + path + ": " + Libc.strerror(errno));
            }
            try {
                // the descriptor, not the path, says which file was opened
                Object opened;
                try {
                    opened = Files.readAttributes(Path.of("/proc/self/fd/" + fd), BasicFileAttributes.class).fileKey();
                } catch (NoSuchFileException e) {
                    return false;
                }
                if (opened == null || !opened.equals(fileKey)) {
                    return false;
                }
                int rc = (int) FALLOCATE.invokeExact(state, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length);
                if (rc != 0) {
                    throw new IOException("fallocate(PUNCH_HOLE) " + path + ": " + Libc.strerror(Libc.errnoOf(state)));
                }
                return true;
            } finally {
                int ignored = (int) CLOSE.invokeExact(state, fd);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("punching a hole in " + path + ": " + t, t);
        }
    }
}
