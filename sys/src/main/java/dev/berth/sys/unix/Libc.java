package dev.berth.sys.unix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Thin FFM bindings to the few libc calls Java lacks (sockets of other types than stream,
 * ptys, ioctl, mount). Every call returns the raw result; on -1 {@link Errno} carries errno.
 * Pure utility (stateless apart from the linked handles), thread-safe.
 *
 * <p>Blocking calls ({@code read}, {@code accept}) pin the calling carrier thread when called
 * from a virtual thread, so callers route them through {@link Blocking}.
 */
public final class Libc {
    public static final int AF_UNIX = 1;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_CLOEXEC = 02000000;
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final long TIOCSWINSZ = 0x5414;
    public static final int MSG_NOSIGNAL = 0x4000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CCS = Linker.Option.captureCallState("errno");

    private static final MethodHandle SOCKET = h("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle CONNECT = h("connect", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle READ = h("read", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle WRITE = h("write", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle SEND = h("send", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle SHUTDOWN = h("shutdown", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = h("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle IOCTL_PTR = LINKER.downcallHandle(LINKER.defaultLookup().find("ioctl").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            CCS, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle OPENPTY = h("openpty", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle PTSNAME_R = h("ptsname_r", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle MOUNT = h("mount", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private static final MethodHandle UMOUNT2 = h("umount2", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle KILL = h("kill", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LINKER.defaultLookup().find("strerror").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private Libc() {}

    private static MethodHandle h(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)), fd, CCS);
    }

    /**
     * A handle on libc's {@code name} whose first argument is an errno capture segment (see
     * {@link #errnoState}); {@code firstVariadic} is the index of the first variadic parameter, or -1.
     * For other bindings in this module that need a call this class does not offer.
     */
    public static MethodHandle downcall(String name, FunctionDescriptor fd, int firstVariadic) {
        MemorySegment sym = LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError(name));
        return firstVariadic < 0 ? LINKER.downcallHandle(sym, fd, CCS)
                : LINKER.downcallHandle(sym, fd, CCS, Linker.Option.firstVariadicArg(firstVariadic));
    }

    /** A segment for a {@link #downcall} handle to leave errno in, allocated in {@code arena}. */
    public static MemorySegment errnoState(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    /** The errno a {@link #downcall} left in {@code state}. */
    public static int errnoOf(MemorySegment state) {
        return errno(state);
    }

    /** A failed call: the function name and errno. */
    public static final class Errno extends java.io.IOException {
        private static final long serialVersionUID = 1L;
        private final int errno;

        public Errno(String call, int errno) {
            super(call + ": " + strerror(errno));
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }

    public static String strerror(int errno) {
        try {
            MemorySegment p = (MemorySegment) STRERROR.invokeExact(errno);
            return p.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    public static int socket(int domain, int type, int protocol) throws Errno {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int r = (int) SOCKET.invokeExact(st, domain, type, protocol);
            if (r < 0) {
                throw new Errno("socket", errno(st));
            }
            return r;
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** connect(2) to a filesystem unix socket path (at most 107 bytes). */
    public static void connectUnix(int fd, String path) throws Errno {
        byte[] p = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (p.length > 107) {
            throw new Errno("connect " + path + " (path too long)", 36);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = a.allocate(110);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(p, 0, addr, ValueLayout.JAVA_BYTE, 2, p.length);
            MemorySegment st = a.allocate(CAPTURE);
            while (true) {
                int r = (int) CONNECT.invokeExact(st, fd, addr, 110);
                if (r == 0) {
                    return;
                }
                int e = errno(st);
                if (e != EINTR) {
                    throw new Errno("connect " + path, e);
                }
            }
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** read(2) into {@code buf[off..off+len)}; returns 0 at EOF. Retries on EINTR. */
    public static int read(int fd, byte[] buf, int off, int len) throws Errno {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment seg = a.allocate(Math.max(1, len));
            MemorySegment st = a.allocate(CAPTURE);
            while (true) {
                long r = (long) READ.invokeExact(st, fd, seg, (long) len);
                if (r >= 0) {
                    MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, 0, buf, off, (int) r);
                    return (int) r;
                }
                int e = errno(st);
                if (e != EINTR) {
                    throw new Errno("read", e);
                }
            }
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** write(2) of the whole range (loops on short writes). */
    public static void writeFully(int fd, byte[] buf, int off, int len) throws Errno {
        writeFully(fd, buf, off, len, false);
    }

    /**
     * Writes the whole range; with {@code packet}, as a single send(2) (a SEQPACKET record) with
     * MSG_NOSIGNAL so a closed peer gives EPIPE instead of killing the JVM.
     */
    public static void writeFully(int fd, byte[] buf, int off, int len, boolean packet) throws Errno {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment seg = a.allocate(Math.max(1, len));
            MemorySegment.copy(buf, off, seg, ValueLayout.JAVA_BYTE, 0, len);
            MemorySegment st = a.allocate(CAPTURE);
            long done = 0;
            while (done < len) {
                long r = packet
                        ? (long) SEND.invokeExact(st, fd, seg.asSlice(done), (long) (len - done), MSG_NOSIGNAL)
                        : (long) WRITE.invokeExact(st, fd, seg.asSlice(done), (long) (len - done));
                if (r < 0) {
                    int e = errno(st);
                    if (e == EINTR) {
                        continue;
                    }
                    throw new Errno(packet ? "send" : "write", e);
                }
                done += r;
            }
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void shutdown(int fd, int how) throws Errno {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int r = (int) SHUTDOWN.invokeExact(st, fd, how);
            if (r < 0) {
                throw new Errno("shutdown", errno(st));
            }
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** close(2); errors are ignored (the fd is gone either way on Linux). */
    public static void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int ignored = (int) CLOSE.invokeExact(st, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** ioctl(fd, TIOCSWINSZ, {rows, cols, 0, 0}). */
    public static void setWinsize(int fd, int rows, int cols) throws Errno {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ws = a.allocate(8);
            ws.set(ValueLayout.JAVA_SHORT, 0, (short) rows);
            ws.set(ValueLayout.JAVA_SHORT, 2, (short) cols);
            MemorySegment st = a.allocate(CAPTURE);
            int r = (int) IOCTL_PTR.invokeExact(st, fd, TIOCSWINSZ, ws);
            if (r < 0) {
                throw new Errno("ioctl(TIOCSWINSZ)", errno(st));
            }
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A pty pair: the master fd, the slave fd and the slave's path. */
    public record PtyPair(int master, int slave, String slavePath) {}

    public static PtyPair openpty(int rows, int cols) throws Errno {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(ValueLayout.JAVA_INT);
            MemorySegment s = a.allocate(ValueLayout.JAVA_INT);
            MemorySegment ws = a.allocate(8);
            ws.set(ValueLayout.JAVA_SHORT, 0, (short) (rows > 0 ? rows : 24));
            ws.set(ValueLayout.JAVA_SHORT, 2, (short) (cols > 0 ? cols : 80));
            MemorySegment st = a.allocate(CAPTURE);
            int r = (int) OPENPTY.invokeExact(st, m, s, MemorySegment.NULL, MemorySegment.NULL, ws);
            if (r < 0) {
                throw new Errno("openpty", errno(st));
            }
            int master = m.get(ValueLayout.JAVA_INT, 0);
            int slave = s.get(ValueLayout.JAVA_INT, 0);
            MemorySegment name = a.allocate(128);
            int r2 = (int) PTSNAME_R.invokeExact(st, master, name, 128L);
            if (r2 != 0) {
                close(master);
                close(slave);
                throw new Errno("ptsname_r", r2);
            }
            return new PtyPair(master, slave, name.getString(0));
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** mount(2); {@code data} may be null. */
    public static void mount(String source, String target, String fstype, long flags, String data) throws Errno {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment src = source == null ? MemorySegment.NULL : a.allocateFrom(source);
            MemorySegment tgt = a.allocateFrom(target);
            MemorySegment fs = fstype == null ? MemorySegment.NULL : a.allocateFrom(fstype);
            MemorySegment d = data == null ? MemorySegment.NULL : a.allocateFrom(data);
            MemorySegment st = a.allocate(CAPTURE);
            int r = (int) MOUNT.invokeExact(st, src, tgt, fs, flags, d);
            if (r < 0) {
                throw new Errno("mount " + target, errno(st));
            }
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void umount2(String target, int flags) throws Errno {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tgt = a.allocateFrom(target);
            MemorySegment st = a.allocate(CAPTURE);
            int r = (int) UMOUNT2.invokeExact(st, tgt, flags);
            if (r < 0) {
                throw new Errno("umount " + target, errno(st));
            }
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** kill(2): sends {@code signal} to {@code pid}. */
    public static void kill(int pid, int signal) throws Errno {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int r = (int) KILL.invokeExact(st, pid, signal);
            if (r < 0) {
                throw new Errno("kill " + pid, errno(st));
            }
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
