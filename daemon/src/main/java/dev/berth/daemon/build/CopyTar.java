package dev.berth.daemon.build;

import dev.berth.builder.context.GoPath;
import dev.berth.image.ImageTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes the layer tar of one COPY/ADD: absolute image paths become member names without the
 * leading slash; the destination's missing parent directories are added (mode 0755, the copy's
 * owner) and existing ones are repeated with the parent image's metadata, so that the new layer
 * never changes a directory it only passes through. Confined to one thread.
 */
final class CopyTar implements AutoCloseable {
    private final TarArchiveOutputStream tar;
    private final ImageTree parent;
    private final Set<String> written = new HashSet<>();

    CopyTar(OutputStream out, ImageTree parent) {
        this.tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        this.parent = parent;
    }

    private static String name(String abs) {
        String c = GoPath.clean("/" + abs);
        return c.equals("/") ? "" : c.substring(1);
    }

    /** Ensures every ancestor directory of {@code abs} is in the tar. */
    void parents(String abs, int uid, int gid) throws IOException {
        String n = name(abs);
        int i = 0;
        while ((i = n.indexOf('/', i)) > 0) {
            dirIfAbsent("/" + n.substring(0, i), uid, gid);
            i++;
        }
    }

    /** A directory entry for an ancestor: the parent image's metadata when it exists there, else 0755 with the owner. */
    void dirIfAbsent(String abs, int uid, int gid) throws IOException {
        String n = name(abs);
        if (n.isEmpty() || written.contains(n)) {
            return;
        }
        var existing = parent.resolve(abs).filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS));
        if (existing.isPresent()) {
            Map<String, Object> a = Files.readAttributes(existing.get(), "unix:mode,uid,gid,lastModifiedTime",
                    LinkOption.NOFOLLOW_LINKS);
            dir(abs, (Integer) a.get("mode") & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"),
                    ((FileTime) a.get("lastModifiedTime")).toMillis());
        } else {
            dir(abs, 0755, uid, gid, System.currentTimeMillis());
        }
    }

    void dir(String abs, int mode, int uid, int gid, long mtimeMillis) throws IOException {
        String n = name(abs);
        if (n.isEmpty() || !written.add(n)) {
            return;
        }
        parents(abs, uid, gid);
        TarArchiveEntry e = new TarArchiveEntry(n + "/", TarConstants.LF_DIR);
        fill(e, mode, uid, gid, mtimeMillis);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    void file(String abs, int mode, int uid, int gid, long mtimeMillis, long size, InputStream content) throws IOException {
        String n = name(abs);
        parents(abs, uid, gid);
        written.add(n);
        TarArchiveEntry e = new TarArchiveEntry(n, TarConstants.LF_NORMAL);
        fill(e, mode, uid, gid, mtimeMillis);
        e.setSize(size);
        tar.putArchiveEntry(e);
        long copied = content.transferTo(tar);
        if (copied != size) {
            throw new IOException("size of " + abs + " changed while copying (" + size + " → " + copied + ")");
        }
        tar.closeArchiveEntry();
    }

    void symlink(String abs, String target, int uid, int gid, long mtimeMillis) throws IOException {
        String n = name(abs);
        parents(abs, uid, gid);
        written.add(n);
        TarArchiveEntry e = new TarArchiveEntry(n, TarConstants.LF_SYMLINK);
        fill(e, 0777, uid, gid, mtimeMillis);
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void fill(TarArchiveEntry e, int mode, int uid, int gid, long mtimeMillis) {
        e.setMode(mode & 07777);
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setModTime(mtimeMillis / 1000 * 1000);
    }

    @Override
    public void close() throws IOException {
        tar.finish();
        tar.close();
    }
}
