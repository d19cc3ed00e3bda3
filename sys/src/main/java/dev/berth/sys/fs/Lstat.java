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
 * {@code lstat(2)} with the fields {@link java.nio.file.Files} does not give, notably
 * {@code st_blocks} (allocated 512-byte blocks, what {@code du} counts). x86-64 and aarch64
 * layouts. Pure utility, thread-safe.
 *
 * @param blocks allocated 512-byte blocks
 */
public record Lstat(long dev, long ino, long nlink, int mode, long size, long blocks) {
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final boolean AARCH64 = System.getProperty("os.arch").equals("aarch64");
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle FSTATAT = LINKER.downcallHandle(LINKER.defaultLookup().find("fstatat").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));

    /** lstat of {@code path}; {@link Libc.Errno} (ENOENT …) on failure. */
    public static Lstat of(Path path) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment buf = a.allocate(256, 8);
            int r = (int) FSTATAT.invokeExact(st, AT_FDCWD, a.allocateFrom(path.toString()), buf, AT_SYMLINK_NOFOLLOW);
            if (r != 0) {
                throw new Libc.Errno("lstat " + path, (int) ERRNO.get(st, 0L));
            }
            long dev = buf.get(ValueLayout.JAVA_LONG, 0);
            long ino = buf.get(ValueLayout.JAVA_LONG, 8);
            long nlink;
            int mode;
            if (AARCH64) {
                mode = buf.get(ValueLayout.JAVA_INT, 16);
                nlink = Integer.toUnsignedLong(buf.get(ValueLayout.JAVA_INT, 20));
            } else {
                nlink = buf.get(ValueLayout.JAVA_LONG, 16);
                mode = buf.get(ValueLayout.JAVA_INT, 24);
            }
            return new Lstat(dev, ino, nlink, mode, buf.get(ValueLayout.JAVA_LONG, 48), buf.get(ValueLayout.JAVA_LONG, 64));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public boolean isDirectory() {
        return (mode & 0170000) == 0040000;
    }
}
