package dev.berth.sys.fs;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.berth.sys.unix.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Optional;

/** {@link FileOps} through FFM downcalls into libc (bound with {@link Libc#downcall}). Stateless and thread-safe. */
final class LinuxFileOps implements FileOps {
    private static final int ENODATA = 61;

    private static final MethodHandle MKNOD = Libc.downcall("mknod",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG), -1);
    private static final MethodHandle LSETXATTR = Libc.downcall("lsetxattr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT), -1);
    private static final MethodHandle LGETXATTR = Libc.downcall("lgetxattr",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG), -1);

    @Override
    public void mknod(Path path, int mode, int major, int minor) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.errnoState(arena);
            int rc = (int) MKNOD.invokeExact(state, arena.allocateFrom(path.toString()), mode,
                    FileOps.makedev(major, minor));
            if (rc != 0) {
                throw error("mknod", path, Libc.errnoOf(state));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("mknod " + path + ": " + t, t);
        }
    }

    @Override
    public void setXattr(Path path, String name, byte[] value) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.errnoState(arena);
            MemorySegment buf = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, buf, ValueLayout.JAVA_BYTE, 0, value.length);
            int rc = (int) LSETXATTR.invokeExact(state, arena.allocateFrom(path.toString()),
                    arena.allocateFrom(name), buf, (long) value.length, 0);
            if (rc != 0) {
                throw error("lsetxattr " + name, path, Libc.errnoOf(state));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("lsetxattr " + path + ": " + t, t);
        }
    }

    @Override
    public Optional<byte[]> getXattr(Path path, String name) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.errnoState(arena);
            MemorySegment p = arena.allocateFrom(path.toString());
            MemorySegment n = arena.allocateFrom(name);
            int cap = 4096;
            MemorySegment buf = arena.allocate(cap);
            long rc = (long) LGETXATTR.invokeExact(state, p, n, buf, (long) cap);
            if (rc < 0) {
                int errno = Libc.errnoOf(state);
                if (errno == ENODATA) {
                    return Optional.empty();
                }
                throw error("lgetxattr " + name, path, errno);
            }
            return Optional.of(buf.asSlice(0, rc).toArray(ValueLayout.JAVA_BYTE));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("lgetxattr " + path + ": " + t, t);
        }
    }

    private static IOException error(String op, Path path, int errno) {
        return new IOException(op + " " + path + ": " + Libc.strerror(errno));
    }
}
