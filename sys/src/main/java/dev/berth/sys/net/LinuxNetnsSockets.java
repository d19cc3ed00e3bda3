package dev.berth.sys.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@link NetnsSockets} with setns(2) through the FFM API. setns changes only the calling
 * thread, so the work runs on a fresh platform thread (never a virtual thread, which could move
 * between carriers) that switches into the namespace, creates the socket, switches back, and
 * ends. Stateless and thread-safe.
 */
public final class LinuxNetnsSockets implements NetnsSockets {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 02000000;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), Linker.Option.captureCallState("errno"));
    private static final MethodHandle SETNS = LINKER.downcallHandle(LINKER.defaultLookup().find("setns").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    @Override
    public DatagramChannel openUdp(Path netns, InetSocketAddress bind) throws IOException {
        return onPlatformThread(netns, () -> {
            DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
            try {
                ch.bind(bind);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return ch;
        });
    }

    @Override
    public java.nio.channels.ServerSocketChannel openTcp(Path netns, InetSocketAddress bind) throws IOException {
        return onPlatformThread(netns, () -> {
            var ch = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.INET);
            try {
                ch.bind(bind, 64);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return ch;
        });
    }

    private static <T> T onPlatformThread(Path netns, IoSupplier<T> open) throws IOException {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().name("berth-netns-socket").start(() -> {
            try {
                result.complete(inNamespace(netns, open));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static <T> T inNamespace(Path netns, IoSupplier<T> body) throws IOException {
        int self = open("/proc/thread-self/ns/net");
        try {
            int target = open(netns.toString());
            try {
                setns(target, netns.toString());
            } finally {
                close(target);
            }
            try {
                return body.get();
            } finally {
                // If switching back failed the thread would stay in the container's namespace;
                // it is a throwaway thread that ends right after, so nothing else runs there.
                setns(self, "/proc/thread-self/ns/net");
            }
        } finally {
            close(self);
        }
    }

    private static int open(String path) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            var state = arena.allocate(Linker.Option.captureStateLayout());
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), O_RDONLY_CLOEXEC);
            if (fd < 0) {
                throw new IOException("open " + path + ": errno " + errno(state));
            }
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    private static void setns(int fd, String what) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            var state = arena.allocate(Linker.Option.captureStateLayout());
            int rc = (int) SETNS.invokeExact(state, fd, CLONE_NEWNET);
            if (rc != 0) {
                throw new IOException("setns " + what + ": errno " + errno(state));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    private static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            // nothing useful to do
        }
    }

    private static int errno(java.lang.foreign.MemorySegment state) {
        return state.get(ValueLayout.JAVA_INT, Linker.Option.captureStateLayout().byteOffset(
                java.lang.foreign.MemoryLayout.PathElement.groupElement("errno")));
    }
}
