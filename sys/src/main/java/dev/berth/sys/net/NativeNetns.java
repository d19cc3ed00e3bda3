package dev.berth.sys.net;

import dev.berth.sys.unix.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Namespace files without spawning processes: unshare(2) on a fresh platform thread (it changes
 * only that thread, which ends right after) plus a bind mount of {@code /proc/thread-self/ns/net},
 * and umount2(2). Each method returns false instead of throwing when the native route fails, so
 * the caller can fall back to util-linux. Pure utility, thread-safe.
 */
final class NativeNetns {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final long MS_BIND = 4096;
    private static final System.Logger LOG = System.getLogger(NativeNetns.class.getName());
    private static final MethodHandle UNSHARE;

    static {
        MethodHandle h = null;
        try {
            Linker linker = Linker.nativeLinker();
            h = linker.downcallHandle(linker.defaultLookup().find("unshare").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.captureCallState("errno"));
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.DEBUG, "unshare(2) not available through FFM: " + e);
        }
        UNSHARE = h;
    }

    private NativeNetns() {}

    /** Creates a namespace bound to {@code file} (which exists, empty); false if the native route failed. */
    static boolean create(Path file) {
        if (UNSHARE == null) {
            return false;
        }
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        try {
            // Never a virtual thread: unshare changes the calling OS thread, which must not run anything else afterwards.
            Thread.ofPlatform().name("berth-netns-create").start(() -> {
                try {
                    done.complete(unshareAndBind(file));
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            });
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | RuntimeException | OutOfMemoryError e) {
            LOG.log(System.Logger.Level.DEBUG, "native netns create failed: " + e);
            return false;
        }
    }

    private static boolean unshareAndBind(Path file) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Linker.Option.captureStateLayout());
            int rc = (int) UNSHARE.invokeExact(st, CLONE_NEWNET);
            if (rc != 0) {
                LOG.log(System.Logger.Level.DEBUG, "unshare(CLONE_NEWNET): errno " + st.get(ValueLayout.JAVA_INT,
                        Linker.Option.captureStateLayout().byteOffset(MemoryLayout.PathElement.groupElement("errno"))));
                return false;
            }
        }
        try {
            Libc.mount("/proc/thread-self/ns/net", file.toString(), "none", MS_BIND, null);
            return true;
        } catch (Libc.Errno e) {
            LOG.log(System.Logger.Level.DEBUG, "bind-mounting the new netns failed: " + e.getMessage());
            return false;
        }
    }

    /** umount2(2) of a namespace file; false if it failed. */
    static boolean umount(Path file, boolean detach) {
        try {
            Libc.umount2(file.toString(), detach ? 2 : 0);
            return true;
        } catch (Libc.Errno | RuntimeException | UnsatisfiedLinkError e) {
            return false;
        }
    }
}
