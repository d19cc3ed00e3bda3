package dev.berth.image;

import dev.berth.common.BerthException;
import dev.berth.store.AtomicFiles;
import dev.berth.sys.fs.FileOps;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import dev.berth.oci.tar.GuardedTarInputStream;

/**
 * The one hardened tar reader: extracts an uncompressed tar stream below a root directory and
 * never writes outside it. Member names are cleaned ({@code ..} escapes fail, a leading {@code /}
 * is dropped), parent directories are resolved inside the root without letting the OS follow
 * symlinks, final components are replaced rather than followed, and hard links may only point at
 * members inside the root. For image layers, OCI whiteouts become overlayfs whiteouts
 * ({@code .wh.x} → char device 0/0, {@code .wh..wh..opq} → {@code trusted.overlay.opaque=y}).
 * Stateless and thread-safe.
 */
public final class TarExtractor {
    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";
    private static final String XATTR_PAX = "SCHILY.xattr.";

    /**
     * @param layer convert whiteouts, create device nodes (needs root)
     * @param preserveOwner lchown members to their uid/gid (needs root for foreign ids)
     * @param noOverwriteDirNonDir fail (INVALID_ARGUMENT, Docker's message) instead of replacing an
     *        existing directory by a non-directory or the other way round ({@code docker cp})
     * @param chownUid when not null (with {@code chownGid}), every member is owned by this uid/gid
     *        instead of the tar's ({@code docker cp -a} into a container with a {@code User})
     */
    public record Options(boolean layer, boolean preserveOwner, boolean noOverwriteDirNonDir, Integer chownUid, Integer chownGid) {
        static final Options LAYER = new Options(true, true);
        static final Options PLAIN = new Options(false, false);

        public Options(boolean layer, boolean preserveOwner) {
            this(layer, preserveOwner, false, null, null);
        }
    }

    /** What an extraction produced; {@code size} is the sum of regular file sizes. */
    public record Result(long size, int entries) {}

    /**
     * Resolves the directory that holds a member, given its cleaned components relative to the
     * extraction root. The default resolves with lstat below the root ({@link SafePaths}); callers
     * that need race-freedom return a path pinned by an open directory handle (see
     * {@code dev.berth.sys.fs.DirFd}). Handles are closed when the extraction ends.
     */
    public interface DirResolver {
        /** The directory for {@code comps} (creating missing ones when {@code create}); NoSuchFileException when absent. */
        Dir resolve(List<String> comps, boolean create) throws IOException;

        /**
         * Deletes the member at {@code p} (a tree when it is a directory) before it is replaced.
         * The default walks by path; resolvers of untrusted trees override it to walk by handles.
         */
        default void deleteTree(Path p) throws IOException {
            AtomicFiles.deleteTree(p);
        }
    }

    /** A resolved directory; {@link #path()} stays valid until {@link #close()}. */
    public interface Dir extends AutoCloseable {
        Path path();

        @Override
        void close();
    }

    private record PlainDir(Path path) implements Dir {
        @Override
        public void close() {}
    }

    private static final boolean IS_ROOT = isRoot();
    private final FileOps ops;

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public TarExtractor(FileOps ops) {
        this.ops = ops;
    }

    /** Extracts {@code tar} (uncompressed) into the existing directory {@code root}. */
    public Result extract(InputStream tar, Path root, Options opt) throws IOException {
        DirResolver plain = (comps, create) -> new PlainDir(SafePaths.resolveDir(root, comps, create));
        return extract(tar, opt, new ParentLookup() {
            @Override
            public Path parent(List<String> comps) throws IOException {
                return SafePaths.resolveDir(root, comps, true);
            }

            @Override
            public void invalidate() {}
        }, plain);
    }

    /**
     * Extracts {@code tar} (uncompressed) with directories found by {@code dirs}; {@code root} is
     * only used in messages. Every directory handle is closed before returning.
     */
    public Result extract(InputStream tar, Path root, Options opt, DirResolver dirs) throws IOException {
        java.util.Map<List<String>, Dir> open = new java.util.HashMap<>();
        List<Dir> retired = new ArrayList<>();
        try {
            return extract(tar, opt, new ParentLookup() {
                @Override
                public Path parent(List<String> comps) throws IOException {
                    Dir d = open.get(comps);
                    if (d == null) {
                        d = dirs.resolve(comps, true);
                        open.put(List.copyOf(comps), d);
                    }
                    return d.path();
                }

                @Override
                public void invalidate() {
                    // kept open: directory times still refer to them
                    retired.addAll(open.values());
                    open.clear();
                }
            }, dirs);
        } finally {
            for (Dir d : open.values()) {
                d.close();
            }
            for (Dir d : retired) {
                d.close();
            }
        }
    }

    /** Finds member parents; cached lookups are dropped whenever a member replaced something. */
    private interface ParentLookup {
        Path parent(List<String> comps) throws IOException;

        void invalidate();
    }

    private Result extract(InputStream tar, Options opt, ParentLookup parents, DirResolver dirs) throws IOException {
        long size = 0;
        int n = 0;
        record DirTime(Path dir, FileTime mtime) {}
        List<DirTime> dirTimes = new ArrayList<>();
        TarArchiveInputStream in = new GuardedTarInputStream(tar);
        byte[] buf = null; // grows with the largest member, up to COPY_BUFFER
        TarArchiveEntry e;
        while ((e = in.getNextEntry()) != null) {
            n++;
            List<String> comps = SafePaths.clean(e.getName());
            if (comps.isEmpty()) {
                continue; // the root itself: its attributes belong to the snapshot, not the layer
            }
            String base = comps.getLast();
            Path parent = parents.parent(comps.subList(0, comps.size() - 1));
            if (opt.layer() && base.startsWith(WHITEOUT_PREFIX)) {
                parents.invalidate();
                whiteout(parent, base);
                continue;
            }
            Path p = parent.resolve(base);
            BasicFileAttributes existing = SafePaths.lstat(p);
            if (opt.noOverwriteDirNonDir() && existing != null && existing.isDirectory() != e.isDirectory()) {
                throw BerthException.invalid(existing.isDirectory()
                        ? "cannot overwrite directory %s with non-directory %s"
                        : "cannot overwrite non-directory %s with directory %s", SafePaths.quote("/" + String.join("/", comps)),
                        SafePaths.quote(e.getName()));
            }
            if (e.isDirectory()) {
                if (existing != null && !existing.isDirectory()) {
                    parents.invalidate();
                    dirs.deleteTree(p);
                    existing = null;
                }
                if (existing == null) {
                    Files.createDirectory(p);
                }
            } else {
                if (existing != null) {
                    parents.invalidate();
                    dirs.deleteTree(p);
                }
                if (e.isSymbolicLink()) {
                    Files.createSymbolicLink(p, Path.of(e.getLinkName()));
                } else if (e.isLink()) {
                    hardlink(dirs, p, e);
                    continue; // a hard link shares the target's inode and attributes
                } else if (e.isCharacterDevice() || e.isBlockDevice()) {
                    if (!opt.layer()) {
                        continue;
                    }
                    int type = e.isCharacterDevice() ? FileOps.S_IFCHR : FileOps.S_IFBLK;
                    ops.mknod(p, type | (e.getMode() & 07777), e.getDevMajor(), e.getDevMinor());
                } else if (e.isFIFO()) {
                    ops.mknod(p, FileOps.S_IFIFO | (e.getMode() & 07777), 0, 0);
                } else if (e.isFile()) {
                    try (OutputStream out = Files.newOutputStream(p, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                        if (buf == null) {
                            buf = new byte[(int) Math.min(COPY_BUFFER, Math.max(8192, e.getSize()))];
                        } else if (buf.length < COPY_BUFFER && e.getSize() > buf.length) {
                            buf = new byte[(int) Math.min(COPY_BUFFER, e.getSize())];
                        }
                        size += copy(in, out, buf);
                    }
                } else {
                    continue; // sockets, sparse or vendor types: skipped as Docker does
                }
            }
            applyAttributes(p, e, opt);
            if (e.isDirectory()) {
                dirTimes.add(new DirTime(p, FileTime.from(e.getModTime().toInstant())));
            }
        }
        // Directory times last: creating children changed them.
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            DirTime d = dirTimes.get(i);
            Files.getFileAttributeView(d.dir(), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(d.mtime(), d.mtime(), null);
        }
        return new Result(size, n);
    }

    /**
     * Copies one member's data. Why not transferTo: its 16 KiB chunks mean four times the write
     * calls (and, in a layer unpack, content-store writes and digest updates) for big files.
     */
    private static long copy(InputStream in, OutputStream out, byte[] buf) throws IOException {
        long n = 0;
        int r;
        while ((r = in.read(buf, 0, buf.length)) > 0) {
            out.write(buf, 0, r);
            n += r;
        }
        return n;
    }

    private static final int COPY_BUFFER = 256 << 10;

    private void whiteout(Path parent, String base) throws IOException {
        if (base.equals(OPAQUE)) {
            ops.setXattr(parent, "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        if (base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
            return; // other AUFS meta files (.wh..wh.plnk etc.) have no overlay meaning
        }
        String name = base.substring(WHITEOUT_PREFIX.length());
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw BerthException.invalid("invalid whiteout entry %s", SafePaths.quote(base));
        }
        Path target = parent.resolve(name);
        AtomicFiles.deleteTree(target);
        ops.mknod(target, FileOps.S_IFCHR, 0, 0);
    }

    private static void hardlink(DirResolver dirs, Path p, TarArchiveEntry e) throws IOException {
        List<String> t;
        try {
            t = SafePaths.clean(e.getLinkName());
        } catch (BerthException ex) {
            throw BerthException.invalid("invalid hardlink %s -> %s: target escapes the target directory",
                    SafePaths.quote(e.getName()), SafePaths.quote(e.getLinkName()));
        }
        if (t.isEmpty()) {
            throw BerthException.invalid("invalid hardlink %s -> %s", SafePaths.quote(e.getName()), SafePaths.quote(e.getLinkName()));
        }
        Dir dir;
        try {
            dir = dirs.resolve(t.subList(0, t.size() - 1), false);
        } catch (IOException ex) {
            throw BerthException.invalid("invalid hardlink %s -> %s: target not found in archive",
                    SafePaths.quote(e.getName()), SafePaths.quote(e.getLinkName()));
        }
        try (dir) {
            Path target = dir.path().resolve(t.getLast());
            BasicFileAttributes a = SafePaths.lstat(target);
            if (a == null || a.isDirectory()) {
                throw BerthException.invalid("invalid hardlink %s -> %s: target not found in archive",
                        SafePaths.quote(e.getName()), SafePaths.quote(e.getLinkName()));
            }
            Files.createLink(p, target);
        }
    }

    private void applyAttributes(Path p, TarArchiveEntry e, Options opt) throws IOException {
        if (opt.preserveOwner() || opt.chownUid() != null) {
            int uid = opt.chownUid() != null ? opt.chownUid() : (int) e.getLongUserId();
            int gid = opt.chownGid() != null ? opt.chownGid() : (int) e.getLongGroupId();
            try {
                Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
            } catch (java.nio.file.FileSystemException ex) {
                if (IS_ROOT) {
                    throw ex;
                }
                // Unprivileged (tests, rootless): files keep our own ids, as rootless Docker does.
            }
        }
        if (e.isSymbolicLink()) {
            setTimes(p, e);
            return;
        }
        // chown cleared set-id bits, so the mode goes after it.
        Files.setAttribute(p, "unix:mode", e.getMode() & 07777, LinkOption.NOFOLLOW_LINKS);
        if (opt.layer()) {
            for (Map.Entry<String, String> x : e.getExtraPaxHeaders().entrySet()) {
                String name = x.getKey().startsWith(XATTR_PAX) ? x.getKey().substring(XATTR_PAX.length()) : null;
                // overlay's own attributes come only from whiteout conversion, never from a layer,
                // or a crafted layer could redirect lookups (trusted.overlay.redirect) elsewhere.
                if (name != null && !name.startsWith("trusted.overlay.")) {
                    ops.setXattr(p, name, x.getValue().getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        if (!e.isDirectory()) {
            setTimes(p, e);
        }
    }

    private static void setTimes(Path p, TarArchiveEntry e) {
        FileTime t = FileTime.from(e.getModTime().toInstant());
        try {
            Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(t, t, null);
        } catch (IOException ignored) {
            // Some file systems cannot set link times; the content is what matters.
        }
    }
}
