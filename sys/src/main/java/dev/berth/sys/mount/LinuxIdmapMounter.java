package dev.berth.sys.mount;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.berth.sys.proc.ProcessLauncher;
import dev.berth.sys.unix.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link IdmapMounter} through the new mount API: {@code open_tree(OPEN_TREE_CLONE)} detaches a
 * copy of the source mount, {@code mount_setattr(MOUNT_ATTR_IDMAP)} attaches the mapping of a user
 * namespace to it, {@code move_mount} puts it on the target. The user namespace comes from a
 * short-lived {@code unshare --user} child whose maps we write; its namespace file stays open for
 * the daemon's life (one per distinct mapping), the child is reaped at once.
 */
public final class LinuxIdmapMounter implements IdmapMounter {
    private static final int AT_FDCWD = -100;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int OPEN_TREE_CLONE = 1;
    private static final int O_CLOEXEC = 02000000;
    private static final int O_RDONLY = 0;
    private static final long MOUNT_ATTR_IDMAP = 0x00100000L;
    private static final int MOVE_MOUNT_F_EMPTY_PATH = 0x4;
    private static final long SYS_OPEN_TREE = 428;
    private static final long SYS_MOVE_MOUNT = 429;
    private static final long SYS_MOUNT_SETATTR = 442;

    // syscall(long number, ...): everything after the number is variadic
    private static final MethodHandle SYSCALL_4 = Libc.downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), 1);
    private static final MethodHandle SYSCALL_6 = Libc.downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG), 1);
    private static final MethodHandle SYSCALL_MOVE = Libc.downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT), 1);
    private static final MethodHandle OPEN = Libc.downcall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
    private static final MethodHandle CLOSE = Libc.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), -1);
    /** struct mount_attr { u64 attr_set, attr_clr, propagation, userns_fd; } */
    private static final long MOUNT_ATTR_SIZE = 32;

    private final ProcessLauncher launcher;
    private final Map<String, Integer> namespaces = new ConcurrentHashMap<>();

    public LinuxIdmapMounter(ProcessLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public void mountIdmapped(Path source, Path target, List<Range> uids, List<Range> gids) throws IOException {
        int userns = userns(uids, gids);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.errnoState(arena);
            MemorySegment empty = arena.allocateFrom("");
            int tree = (int) (long) SYSCALL_4.invokeExact(state, SYS_OPEN_TREE, AT_FDCWD, arena.allocateFrom(source.toString()),
                    OPEN_TREE_CLONE | O_CLOEXEC);
            if (tree < 0) {
                throw failure("open_tree", source, state);
            }
            try {
                MemorySegment attr = arena.allocate(MOUNT_ATTR_SIZE);
                attr.set(JAVA_LONG, 0, MOUNT_ATTR_IDMAP);
                attr.set(JAVA_LONG, 24, userns);
                long rc = (long) SYSCALL_6.invokeExact(state, SYS_MOUNT_SETATTR, tree, empty, AT_EMPTY_PATH, attr, MOUNT_ATTR_SIZE);
                if (rc != 0) {
                    throw failure("mount_setattr(MOUNT_ATTR_IDMAP)", source, state);
                }
                rc = (long) SYSCALL_MOVE.invokeExact(state, SYS_MOVE_MOUNT, tree, empty, AT_FDCWD,
                        arena.allocateFrom(target.toString()), MOVE_MOUNT_F_EMPTY_PATH);
                if (rc != 0) {
                    throw failure("move_mount", target, state);
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(state, tree);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("idmapped mount of " + source + ": " + t, t);
        }
    }

    private static IOException failure(String call, Path path, MemorySegment state) {
        return new IOException(call + " " + path + ": " + Libc.strerror(Libc.errnoOf(state)));
    }

    /** A descriptor of a user namespace with the mapping, made on first use and kept. */
    private int userns(List<Range> uids, List<Range> gids) throws IOException {
        String key = uids + "/" + gids;
        Integer known = namespaces.get(key);
        if (known != null) {
            return known;
        }
        synchronized (namespaces) {
            known = namespaces.get(key);
            if (known != null) {
                return known;
            }
            int fd = makeUserns(uids, gids);
            namespaces.put(key, fd);
            return fd;
        }
    }

    private int makeUserns(List<Range> uids, List<Range> gids) throws IOException {
        // the child only has to exist while its maps are written and its namespace file is opened
        Process child = launcher.start(List.of("unshare", "--user", "sleep", "30"), Map.of(), Path.of("/"),
                new ProcessLauncher.Stdio.Discard());
        try {
            Path proc = Path.of("/proc", Long.toString(child.pid()));
            Path ns = proc.resolve("ns/user");
            Path self = Path.of("/proc/self/ns/user");
            // wait until the child has entered its own namespace
            for (int i = 0; i < 200 && Files.readSymbolicLink(ns).equals(Files.readSymbolicLink(self)); i++) {
                Thread.sleep(5);
            }
            Files.writeString(proc.resolve("uid_map"), map(uids));
            Files.writeString(proc.resolve("gid_map"), map(gids));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = Libc.errnoState(arena);
                int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(ns.toString()), O_RDONLY | O_CLOEXEC, 0);
                if (fd < 0) {
                    throw failure("open", ns, state);
                }
                return fd;
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("cannot make a user namespace for an idmapped mount: " + t, t);
        } finally {
            child.destroyForcibly();
            try {
                child.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code /proc/<pid>/uid_map} text: the namespace's ids ("inside") map to the host's ("outside"). */
    static String map(List<Range> ranges) {
        StringBuilder sb = new StringBuilder();
        for (Range r : ranges) {
            sb.append(r.inside()).append(' ').append(r.outside()).append(' ').append(r.size()).append('\n');
        }
        return sb.toString();
    }
}
