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

/**
 * The one hardened tar reader: extracts an uncompressed tar stream below a root directory and
 * never writes outside it. Member names are cleaned ({@code ..} escapes fail, a leading {@code /}
 * is dropped), parent directories are resolved inside the root without letting the OS follow
 * symlinks, final components are replaced rather than followed, and hard links may only point at
 * members inside the root. For image layers, OCI whiteouts become overlayfs whiteouts
 * ({@code .wh.x} → char device 0/0, {@code .wh..wh..opq} → {@code trusted.overlay.opaque=y}).
 * Stateless and thread-safe.
 */
final class TarExtractor {
    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";
    private static final String XATTR_PAX = "SCHILY.xattr.";

    /**
     * @param layer convert whiteouts, create device nodes (needs root)
     * @param preserveOwner lchown members to their uid/gid (needs root for foreign ids)
     */
    record Options(boolean layer, boolean preserveOwner) {
        static final Options LAYER = new Options(true, true);
        static final Options PLAIN = new Options(false, false);
    }

    /** What an extraction produced; {@code size} is the sum of regular file sizes. */
    record Result(long size, int entries) {}

    private static final boolean IS_ROOT = isRoot();
    private final FileOps ops;

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    TarExtractor(FileOps ops) {
        this.ops = ops;
    }

    /** Extracts {@code tar} (uncompressed) into the existing directory {@code root}. */
    Result extract(InputStream tar, Path root, Options opt) throws IOException {
        long size = 0;
        int n = 0;
        record DirTime(Path dir, FileTime mtime) {}
        List<DirTime> dirTimes = new ArrayList<>();
        TarArchiveInputStream in = new TarArchiveInputStream(tar);
        TarArchiveEntry e;
        while ((e = in.getNextEntry()) != null) {
            n++;
            List<String> comps = SafePaths.clean(e.getName());
            if (comps.isEmpty()) {
                continue; // the root itself: its attributes belong to the snapshot, not the layer
            }
            String base = comps.getLast();
            Path parent = SafePaths.resolveDir(root, comps.subList(0, comps.size() - 1), true);
            if (opt.layer() && base.startsWith(WHITEOUT_PREFIX)) {
                whiteout(parent, base);
                continue;
            }
            Path p = parent.resolve(base);
            BasicFileAttributes existing = SafePaths.lstat(p);
            if (e.isDirectory()) {
                if (existing != null && !existing.isDirectory()) {
                    AtomicFiles.deleteTree(p);
                    existing = null;
                }
                if (existing == null) {
                    Files.createDirectory(p);
                }
            } else {
                if (existing != null) {
                    AtomicFiles.deleteTree(p);
                }
                if (e.isSymbolicLink()) {
                    Files.createSymbolicLink(p, Path.of(e.getLinkName()));
                } else if (e.isLink()) {
                    hardlink(root, p, e);
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
                        size += in.transferTo(out);
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

    private static void hardlink(Path root, Path p, TarArchiveEntry e) throws IOException {
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
        Path target;
        try {
            target = SafePaths.resolveDir(root, t.subList(0, t.size() - 1), false).resolve(t.getLast());
        } catch (IOException ex) {
            throw BerthException.invalid("invalid hardlink %s -> %s: target not found in archive",
                    SafePaths.quote(e.getName()), SafePaths.quote(e.getLinkName()));
        }
        BasicFileAttributes a = SafePaths.lstat(target);
        if (a == null || a.isDirectory()) {
            throw BerthException.invalid("invalid hardlink %s -> %s: target not found in archive",
                    SafePaths.quote(e.getName()), SafePaths.quote(e.getLinkName()));
        }
        Files.createLink(p, target);
    }

    private void applyAttributes(Path p, TarArchiveEntry e, Options opt) throws IOException {
        if (opt.preserveOwner()) {
            try {
                Files.setAttribute(p, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
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
