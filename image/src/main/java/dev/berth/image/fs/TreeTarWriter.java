package dev.berth.image.fs;

import dev.berth.sys.fs.DirFd;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a file or directory tree of a container as a tar, as {@code GET /containers/{id}/archive}
 * does: the top entry is named after the requested base name, children below it. Directories are
 * descended through handles opened with {@code O_NOFOLLOW}, files read with {@code O_NOFOLLOW}, so
 * a symlink swapped in during the walk fails the copy instead of leaking a host file. Hard links
 * inside the tree are kept as links. Files that change size while read are cut or zero-padded to
 * the size first seen, so the archive stays well-formed. One instance per archive.
 */
final class TreeTarWriter {
    private final Resolver resolver;
    private final TarArchiveOutputStream tar;
    private final Map<String, String> hardlinks = new HashMap<>();
    private final byte[] buf = new byte[64 * 1024];

    TreeTarWriter(Resolver resolver, OutputStream out) {
        this.resolver = resolver;
        this.tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /** Writes {@code target} (must exist) under {@code name} and finishes the archive (the stream stays open). */
    void write(Resolver.Target target, String name) throws IOException {
        String top = name.equals("/") ? "." : name;
        if (target.self != null) {
            entry(target.entry(), top, target.self);
            walk(target.self, target.containerPath(), top);
        } else {
            entry(target.entry(), top, null);
        }
        tar.finish();
        tar.flush();
    }

    private void walk(DirFd dir, String cpath, String prefix) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.path())) {
            for (Path p : ds) {
                names.add(p.getFileName().toString());
            }
        }
        names.sort(null);
        for (String n : names) {
            Path p = dir.child(n);
            String childCpath = cpath.equals("/") ? "/" + n : cpath + "/" + n;
            String tarName = prefix + "/" + n;
            Map<String, Object> a;
            try {
                a = Files.readAttributes(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException gone) {
                continue; // removed while we walked: not part of the copy
            }
            int mode = (Integer) a.get("mode");
            if ((mode & 0170000) == 0040000) {
                MountMapping m = resolver.mountAt(childCpath);
                try (DirFd child = m != null ? DirFd.open(m.source()) : dir.openChild(n)) {
                    entry(p, tarName, child);
                    walk(child, childCpath, tarName);
                }
            } else {
                entry(p, tarName, null);
            }
        }
    }

    /** Writes one entry; {@code dirHandle} non-null for directories (their attributes are read through it). */
    private void entry(Path p, String name, DirFd dirHandle) throws IOException {
        Path attrPath = dirHandle != null ? dirHandle.path() : p;
        LinkOption[] nofollow = dirHandle != null ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        Map<String, Object> a = Files.readAttributes(attrPath, "unix:mode,uid,gid,size,lastModifiedTime,ino,dev,nlink,rdev", nofollow);
        int mode = (Integer) a.get("mode");
        int type = mode & 0170000;
        TarArchiveEntry e;
        switch (type) {
            case 0040000 -> e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
            case 0120000 -> {
                e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                e.setLinkName(Files.readSymbolicLink(p).toString());
            }
            case 0100000 -> {
                long nlink = ((Number) a.get("nlink")).longValue();
                String key = a.get("dev") + ":" + a.get("ino");
                if (nlink > 1 && hardlinks.containsKey(key)) {
                    e = new TarArchiveEntry(name, TarConstants.LF_LINK);
                    e.setLinkName(hardlinks.get(key));
                } else {
                    if (nlink > 1) {
                        hardlinks.put(key, name);
                    }
                    e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
                    e.setSize(((Number) a.get("size")).longValue());
                }
            }
            case 0020000, 0060000 -> {
                e = new TarArchiveEntry(name, type == 0020000 ? TarConstants.LF_CHR : TarConstants.LF_BLK);
                long rdev = ((Number) a.get("rdev")).longValue();
                e.setDevMajor((int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL)));
                e.setDevMinor((int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL)));
            }
            case 0010000 -> e = new TarArchiveEntry(name, TarConstants.LF_FIFO);
            default -> {
                return; // sockets are not archived, as in Docker
            }
        }
        e.setMode(mode & 07777);
        e.setUserId(((Number) a.get("uid")).longValue());
        e.setGroupId(((Number) a.get("gid")).longValue());
        e.setModTime(Date.from(((FileTime) a.get("lastModifiedTime")).toInstant()));
        tar.putArchiveEntry(e);
        if (type == 0100000 && !e.isLink()) {
            copyExactly(p, e.getSize());
        }
        tar.closeArchiveEntry();
    }

    private void copyExactly(Path p, long size) throws IOException {
        long left = size;
        try (InputStream in = Files.newInputStream(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                tar.write(buf, 0, n);
                left -= n;
            }
        }
        java.util.Arrays.fill(buf, (byte) 0);
        while (left > 0) {
            int n = (int) Math.min(buf.length, left);
            tar.write(buf, 0, n);
            left -= n;
        }
    }
}
