package dev.berth.image.fs;

import dev.berth.sys.fs.DirFd;
import dev.berth.sys.unix.Libc;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Resolves container paths the way the container would, without ever leaving its file system:
 * one component at a time, each directory opened relative to its parent's handle with
 * {@code O_NOFOLLOW|O_DIRECTORY} (so a symlink swapped in later is not followed by the kernel),
 * symlinks read and re-resolved from the container root ({@code ..} stops at the root), and mount
 * destinations replaced by their host sources. Not thread-safe per call; stateless otherwise.
 */
final class Resolver {
    static final int MAX_LINKS = 40;

    private final Path root;
    private final Map<String, MountMapping> mounts;

    Resolver(Path root, Map<String, MountMapping> mounts) {
        this.root = root;
        this.mounts = mounts;
    }

    /**
     * The result: {@code parent} is the handle of the directory holding the target (null for the
     * root itself), {@code name} its last component, {@code self} a handle of the target when it is
     * a directory (else null), {@code exists} whether anything is there, and {@code path} the
     * container path it resolved to. The caller closes it.
     */
    static final class Target implements AutoCloseable {
        final DirFd parent;
        final String name;
        final DirFd self;
        final boolean exists;
        final List<String> path;

        Target(DirFd parent, String name, DirFd self, boolean exists, List<String> path) {
            this.parent = parent;
            this.name = name;
            this.self = self;
            this.exists = exists;
            this.path = List.copyOf(path);
        }

        /** A path usable with NOFOLLOW operations: the entry in its parent, or the root handle. */
        Path entry() {
            return parent == null ? self.path() : parent.child(name);
        }

        String containerPath() {
            return ContainerPaths.join(path);
        }

        @Override
        public void close() {
            if (parent != null) {
                parent.close();
            }
            if (self != null) {
                self.close();
            }
        }
    }

    /**
     * Resolves {@code containerPath}.
     *
     * @param followLast follow a symlink in the last position too (else it is the target)
     * @param create     create missing directories (mode 0755) on the way, the last included
     * @throws NoSuchFileException when an intermediate component is missing (and not {@code create})
     * @throws FileSystemException "not a directory" when an intermediate component is a file
     */
    Target resolve(String containerPath, boolean followLast, boolean create) throws IOException {
        Deque<String> todo = new ArrayDeque<>(ContainerPaths.components(containerPath));
        List<String> cpath = new ArrayList<>();
        List<DirFd> stack = new ArrayList<>();
        int links = 0;
        try {
            stack.add(openMount(List.of()));
            while (!todo.isEmpty()) {
                String c = todo.pollFirst();
                if (c.isEmpty() || c.equals(".")) {
                    continue;
                }
                if (c.equals("..")) {
                    if (!cpath.isEmpty()) {
                        cpath.removeLast();
                        stack.removeLast().close();
                    }
                    continue;
                }
                boolean last = todo.isEmpty();
                DirFd top = stack.getLast();
                List<String> child = new ArrayList<>(cpath);
                child.add(c);
                MountMapping m = mounts.get(ContainerPaths.join(child));
                if (m != null && m.source() != null) {
                    stack.add(DirFd.open(m.source()));
                    cpath.add(c);
                    continue;
                }
                try {
                    stack.add(top.openChild(c));
                    cpath.add(c);
                    continue;
                } catch (Libc.Errno e) {
                    if (e.errno() == DirFd.ENOENT) {
                        if (create) {
                            try {
                                Files.createDirectory(top.child(c));
                            } catch (java.nio.file.FileAlreadyExistsException raced) {
                                // someone else created it: fine, re-examine below
                            }
                            todo.addFirst(c);
                            continue;
                        }
                        if (last) {
                            return finish(stack, cpath, c, null, false);
                        }
                        throw new NoSuchFileException(ContainerPaths.join(child));
                    }
                    if (e.errno() != DirFd.ENOTDIR && e.errno() != DirFd.ELOOP) {
                        throw new FileSystemException(ContainerPaths.join(child), null, e.getMessage());
                    }
                }
                // Not a directory: a symlink to follow, or a non-directory.
                BasicFileAttributes a = lstat(top.child(c));
                if (a != null && a.isSymbolicLink() && (!last || followLast)) {
                    if (++links > MAX_LINKS) {
                        throw new FileSystemException(ContainerPaths.join(child), null, "too many levels of symbolic links");
                    }
                    String target = Files.readSymbolicLink(top.child(c)).toString();
                    if (target.startsWith("/")) {
                        while (stack.size() > 1) {
                            stack.removeLast().close();
                        }
                        cpath.clear();
                    }
                    String[] parts = target.split("/");
                    for (int i = parts.length - 1; i >= 0; i--) {
                        todo.addFirst(parts[i]);
                    }
                    continue;
                }
                if (a == null) {
                    todo.addFirst(c); // vanished between the two looks: try again
                    continue;
                }
                if (!last) {
                    throw new FileSystemException(ContainerPaths.join(child), null, "not a directory");
                }
                return finish(stack, cpath, c, null, true);
            }
            // Ended on a directory (or the root): self is the top of the stack.
            DirFd self = stack.removeLast();
            if (stack.isEmpty()) {
                return new Target(null, null, self, true, cpath);
            }
            String name = cpath.getLast();
            return finish(stack, cpath.subList(0, cpath.size() - 1), name, self, true);
        } finally {
            for (DirFd d : stack) {
                d.close();
            }
        }
    }

    /** Builds a Target taking over the parent handle (removed from the stack so it stays open). */
    private static Target finish(List<DirFd> stack, List<String> parentPath, String name, DirFd self, boolean exists) {
        DirFd parent = stack.removeLast();
        List<String> p = new ArrayList<>(parentPath);
        p.add(name);
        return new Target(parent, name, self, exists, p);
    }

    /** The handle of the directory shown at {@code comps}, honouring a mount there. */
    private DirFd openMount(List<String> comps) throws IOException {
        MountMapping m = mounts.get(ContainerPaths.join(comps));
        return DirFd.open(m != null && m.source() != null ? m.source() : root);
    }

    /** The mount shown exactly at {@code containerPath} with a host source, or null. */
    MountMapping mountAt(String containerPath) {
        MountMapping m = mounts.get(containerPath);
        return m != null && m.source() != null ? m : null;
    }

    static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
