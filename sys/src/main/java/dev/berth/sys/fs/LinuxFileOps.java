package dev.berth.sys.fs;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Optional;

/** {@link FileOps} through FFM downcalls into libc. Stateless and thread-safe. */
final class LinuxFileOps implements FileOps {
    private static final int ENODATA = 61;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CCS = Linker.Option.captureCallState("errno");

    private static final MethodHandle MKNOD = handle("mknod",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG), true);
    private static final MethodHandle LSETXATTR = handle("lsetxattr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT), true);
    private static final MethodHandle LGETXATTR = handle("lgetxattr",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG), true);
    private static final MethodHandle STRERROR = handle("strerror",
            FunctionDescriptor.of(ADDRESS, JAVA_INT), false);

    private static MethodHandle handle(String name, FunctionDescriptor fd, boolean errno) {
        MemorySegment sym = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc lacks " + name));
        return errno ? LINKER.downcallHandle(sym, fd, CCS) : LINKER.downcallHandle(sym, fd);
    }

    @Override
    public void mknod(Path path, int mode, int major, int minor) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) MKNOD.invokeExact(state, arena.allocateFrom(path.toString()), mode,
                    FileOps.makedev(major, minor));
            if (rc != 0) {
                throw error("mknod", path, (int) ERRNO.get(state, 0L));
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
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment buf = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, buf, ValueLayout.JAVA_BYTE, 0, value.length);
            int rc = (int) LSETXATTR.invokeExact(state, arena.allocateFrom(path.toString()),
                    arena.allocateFrom(name), buf, (long) value.length, 0);
            if (rc != 0) {
                throw error("lsetxattr " + name, path, (int) ERRNO.get(state, 0L));
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
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment p = arena.allocateFrom(path.toString());
            MemorySegment n = arena.allocateFrom(name);
            int cap = 4096;
            MemorySegment buf = arena.allocate(cap);
            long rc = (long) LGETXATTR.invokeExact(state, p, n, buf, (long) cap);
            if (rc < 0) {
                int errno = (int) ERRNO.get(state, 0L);
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
        String text;
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            text = s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            text = "errno " + errno;
        }
        return new IOException(op + " " + path + ": " + text);
    }
}
