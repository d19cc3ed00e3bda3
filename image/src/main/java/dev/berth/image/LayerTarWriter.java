package dev.berth.image;

import dev.berth.sys.fs.FileOps;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes an overlay upper directory (a container's writable layer) as an OCI layer tar: the
 * inverse of {@link TarExtractor}'s layer mode. Overlay whiteouts (character device 0/0) become
 * {@code .wh.<name>} empty files; opaque directories ({@code trusted.overlay.opaque=y}) get a
 * {@code .wh..wh..opq} member after the directory. Owner, mode (with set-id bits), mtime
 * (seconds), symlinks, device nodes, FIFOs and hard links (by inode) are kept; sockets are
 * skipped as Docker does. Extended attributes other than the opaque marker are not carried
 * (FileOps cannot list them). Members are written in sorted path order, a directory before its
 * children, names relative without a leading slash. Stateless and thread-safe.
 */
final class LayerTarWriter {
    static final int S_IFMT = 0170000;
    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    static final int S_IFLNK = 0120000;
    static final int S_IFCHR = 0020000;
    static final int S_IFBLK = 0060000;
    static final int S_IFIFO = 0010000;

    private final FileOps ops;
    private final Predicate<Attrs> whiteout;

    /** One lstat result, from the {@code unix:} attribute view. */
    record Attrs(int mode, int uid, int gid, long rdev, long dev, long ino, int nlink, long size, FileTime mtime) {
        int type() {
            return mode & S_IFMT;
        }
    }

    LayerTarWriter(FileOps ops) {
        this(ops, a -> a.type() == S_IFCHR && a.rdev() == 0);
    }

    /** {@code whiteout} decides which entries are overlay whiteouts (tests substitute it: no mknod without root). */
    LayerTarWriter(FileOps ops, Predicate<Attrs> whiteout) {
        this.ops = ops;
        this.whiteout = whiteout;
    }

    static Attrs lstat(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,rdev,dev,ino,nlink,size,lastModifiedTime",
                LinkOption.NOFOLLOW_LINKS);
        return new Attrs((Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("rdev"),
                (Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("nlink"), (Long) a.get("size"),
                (FileTime) a.get("lastModifiedTime"));
    }

    boolean isWhiteout(Attrs a) {
        return whiteout.test(a);
    }

    boolean isOpaque(Path dir) throws IOException {
        return ops.getXattr(dir, "trusted.overlay.opaque")
                .map(v -> new String(v, StandardCharsets.US_ASCII).equals("y")).orElse(false);
    }

    /** Writes the tar of {@code upper} to {@code out} (not closed). */
    void write(Path upper, OutputStream out) throws IOException {
        write(upper, out, (path, a) -> false);
    }

    /**
     * Writes the tar of {@code upper} to {@code out} (not closed), leaving out entries for which
     * {@code skip} (absolute path in the image, attributes) is true.
     */
    void write(Path upper, OutputStream out, java.util.function.BiPredicate<String, Attrs> skip) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(out), StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        walk(upper, "", tar, new HashMap<>(), skip);
        tar.finish();
        tar.close();
    }

    private void walk(Path dir, String prefix, TarArchiveOutputStream tar, Map<String, String> inodes,
                      java.util.function.BiPredicate<String, Attrs> skip) throws IOException {
        String[] names;
        try (var s = Files.list(dir)) {
            names = s.map(p -> p.getFileName().toString()).toArray(String[]::new);
        }
        Arrays.sort(names);
        for (String name : names) {
            Path p = dir.resolve(name);
            String rel = prefix + name;
            Attrs a = lstat(p);
            if (skip.test("/" + rel, a)) {
                continue;
            }
            if (isWhiteout(a)) {
                String wh = prefix + TarExtractor.WHITEOUT_PREFIX + name;
                TarArchiveEntry e = new TarArchiveEntry(wh, TarConstants.LF_NORMAL);
                fill(e, a);
                e.setSize(0);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
                continue;
            }
            switch (a.type()) {
                case S_IFDIR -> {
                    TarArchiveEntry e = new TarArchiveEntry(rel + "/", TarConstants.LF_DIR);
                    fill(e, a);
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                    if (isOpaque(p)) {
                        TarArchiveEntry o = new TarArchiveEntry(rel + "/" + TarExtractor.OPAQUE, TarConstants.LF_NORMAL);
                        fill(o, a);
                        o.setMode(0);
                        o.setSize(0);
                        tar.putArchiveEntry(o);
                        tar.closeArchiveEntry();
                    }
                    walk(p, rel + "/", tar, inodes, skip);
                }
                case S_IFREG -> {
                    String key = a.dev() + ":" + a.ino();
                    String first = a.nlink() > 1 ? inodes.putIfAbsent(key, rel) : null;
                    if (first != null) {
                        TarArchiveEntry e = new TarArchiveEntry(rel, TarConstants.LF_LINK);
                        fill(e, a);
                        e.setLinkName(first);
                        e.setSize(0);
                        tar.putArchiveEntry(e);
                        tar.closeArchiveEntry();
                    } else {
                        TarArchiveEntry e = new TarArchiveEntry(rel, TarConstants.LF_NORMAL);
                        fill(e, a);
                        e.setSize(a.size());
                        tar.putArchiveEntry(e);
                        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                            copyExactly(in, tar, a.size());
                        }
                        tar.closeArchiveEntry();
                    }
                }
                case S_IFLNK -> {
                    TarArchiveEntry e = new TarArchiveEntry(rel, TarConstants.LF_SYMLINK);
                    fill(e, a);
                    e.setLinkName(Files.readSymbolicLink(p).toString());
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                }
                case S_IFCHR, S_IFBLK, S_IFIFO -> {
                    byte flag = a.type() == S_IFCHR ? TarConstants.LF_CHR
                            : a.type() == S_IFBLK ? TarConstants.LF_BLK : TarConstants.LF_FIFO;
                    TarArchiveEntry e = new TarArchiveEntry(rel, flag);
                    fill(e, a);
                    if (a.type() != S_IFIFO) {
                        e.setDevMajor(major(a.rdev()));
                        e.setDevMinor(minor(a.rdev()));
                    }
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                }
                default -> {
                    // sockets: not part of a layer, as in Docker
                }
            }
        }
    }

    /** Copies exactly {@code size} bytes; a file that shrank while we read is padded with zeros. */
    private static void copyExactly(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                Arrays.fill(buf, (byte) 0);
                while (left > 0) {
                    int n = (int) Math.min(buf.length, left);
                    out.write(buf, 0, n);
                    left -= n;
                }
                return;
            }
            out.write(buf, 0, r);
            left -= r;
        }
    }

    private static void fill(TarArchiveEntry e, Attrs a) {
        e.setMode(a.mode() & 07777);
        e.setUserId(a.uid());
        e.setGroupId(a.gid());
        e.setModTime(a.mtime().toMillis() / 1000 * 1000);
    }

    /** glibc's gnu_dev_major/minor. */
    static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
    }

    static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
    }

    /** Keeps the tar stream's close from closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
