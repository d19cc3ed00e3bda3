package dev.berth.daemon.container;

import dev.berth.common.BerthException;
import dev.berth.daemon.config.RemapMappings;
import dev.berth.oci.tar.IdMapping;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * {@code docker export}: a tar of the container's root filesystem, read through the merged
 * {@link LayerView} of its layers (no mount needed, so running and stopped containers work the
 * same; volumes and bind mounts are not included, as with Docker). Under {@code --userns-remap}
 * the owners are the container's ids, as dockerd's export writes them: the writable layer's host
 * ids are mapped back (an id without a container id fails the export with moby's "host ID n cannot
 * be mapped to a container ID"), the image layers already hold container ids. Thread-safe.
 */
final class ExportService {
    private final Engine e;

    ExportService(Engine e) {
        this.e = e;
    }

    void export(Container c, OutputStream out) {
        LayerView view = LayerView.of(e.images.containerLayerMounts(c.id()));
        IdMapping ids = RemapMappings.of(e.config).forContainer(c.rec.hostConfig);
        try {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            writeDir(view, ids, "", tar);
            tar.finish();
            tar.flush();
        } catch (IOException | java.io.UncheckedIOException ex) {
            throw BerthException.internal("export failed: " + ex.getMessage(), ex);
        }
    }

    private void writeDir(LayerView view, IdMapping ids, String rel, TarArchiveOutputStream tar) throws IOException {
        for (var entry : view.list(rel).entrySet()) {
            String name = rel.isEmpty() ? entry.getKey() : rel + "/" + entry.getKey();
            Path p = entry.getValue();
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime,size,rdev", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            int type = mode & 0170000;
            TarArchiveEntry te;
            if (type == 0120000) {
                te = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                te.setLinkName(Files.readSymbolicLink(p).toString());
            } else if (type == 0040000) {
                te = new TarArchiveEntry(name + "/");
            } else if (type == 0100000) {
                te = new TarArchiveEntry(name);
                te.setSize((Long) a.get("size"));
            } else if (type == 0020000 || type == 0060000) {
                te = new TarArchiveEntry(name, type == 0020000 ? TarConstants.LF_CHR : TarConstants.LF_BLK);
                long rdev = ((Number) a.get("rdev")).longValue();
                te.setDevMajor((int) ((rdev >> 8) & 0xfff));
                te.setDevMinor((int) ((rdev & 0xff) | ((rdev >> 12) & 0xfff00)));
            } else if (type == 0010000) {
                te = new TarArchiveEntry(name, TarConstants.LF_FIFO);
            } else {
                continue; // sockets
            }
            te.setMode(mode & 07777);
            long uid = ((Number) a.get("uid")).longValue();
            long gid = ((Number) a.get("gid")).longValue();
            if (!ids.isIdentity() && view.inUpper(p)) {
                IdMapping.Ids inside = ids.toContainer(uid, gid);
                uid = inside.uid();
                gid = inside.gid();
            }
            te.setUserId(uid);
            te.setGroupId(gid);
            te.setModTime((java.nio.file.attribute.FileTime) a.get("lastModifiedTime"));
            tar.putArchiveEntry(te);
            if (type == 0100000) {
                try (InputStream in = Files.newInputStream(p)) {
                    in.transferTo(tar);
                }
            }
            tar.closeArchiveEntry();
            if (type == 0040000) {
                writeDir(view, ids, name, tar);
            }
        }
    }
}
