package dev.berth.daemon.build;

import dev.berth.builder.context.ContextEntry;
import dev.berth.builder.context.ContextSources;
import dev.berth.builder.context.GoGlob;
import dev.berth.builder.context.GoPath;
import dev.berth.builder.exec.BuildWorker.CopyRequest;
import dev.berth.builder.exec.BuildWorker.CopySource;
import dev.berth.builder.exec.Chown;
import dev.berth.builder.exec.CopyLayout;
import dev.berth.common.BerthException;
import dev.berth.image.ImageService;
import dev.berth.image.ImageTree;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import dev.berth.oci.tar.GuardedTarInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * Turns a {@link CopyRequest} into a layer tar, with the classic builder's rules: context files
 * land where {@link CopyLayout} says; files are owned by 0:0 unless {@code --chown} (names looked
 * up in the parent image) or {@code COPY --from} without chown (source owners kept); ADD of a
 * local tar archive (plain or compressed) extracts it at the destination. Stateless, thread-safe.
 */
final class CopyWriter {
    private final ImageService images;

    CopyWriter(ImageService images) {
        this.images = images;
    }

    void write(CopyRequest req, OutputStream out) throws IOException {
        ImageTree parent = images.imageTree(req.commit().parentImageId());
        Chown.Owner owner = req.chown() == null || req.chown().isEmpty() ? null
                : Chown.resolve(req.chown(), parent.readString("/etc/passwd").orElse(null),
                        parent.readString("/etc/group").orElse(null));
        int uid = owner == null ? 0 : owner.uid();
        int gid = owner == null ? 0 : owner.gid();
        // the destination is resolved through the parent image's symlinks (e.g. /bin -> usr/bin), as Docker does
        String dest = parent.realPath(req.destination());
        if (req.destination().endsWith("/") && !dest.endsWith("/")) {
            dest += "/";
        }
        boolean destIsDir = req.destinationIsDirectory() || dest.endsWith("/") || parent.isDirectory(dest);
        try (CopyTar tar = new CopyTar(out, parent)) {
            for (CopySource s : req.sources()) {
                switch (s) {
                    case CopySource.Context c -> context(tar, c, dest, destIsDir, parent, owner, req.allowDecompression());
                    case CopySource.Inline i -> {
                        String target = destIsDir ? join(dest, i.name()) : GoPath.clean(dest);
                        tar.file(target, 0644, uid, gid, System.currentTimeMillis(), i.content().length,
                                new ByteArrayInputStream(i.content()));
                    }
                    case CopySource.Downloaded d -> {
                        String target = destIsDir ? join(dest, d.name()) : GoPath.clean(dest);
                        try (InputStream in = Files.newInputStream(d.file())) {
                            tar.file(target, 0600, uid, gid, d.mtimeMillis(), Files.size(d.file()), in);
                        }
                    }
                    case CopySource.FromImage f -> fromImage(tar, f, dest, destIsDir, parent, req.preserveOwnership(), uid, gid);
                }
            }
        }
    }

    private void context(CopyTar tar, CopySource.Context c, String dest, boolean destIsDir, ImageTree parent,
                         Chown.Owner owner, boolean extract) throws IOException {
        for (CopyLayout.Target t : CopyLayout.layout(new ContextSources(c.context()), c.roots(), dest, destIsDir)) {
            ContextEntry e = t.entry();
            int uid = owner == null ? 0 : owner.uid();
            int gid = owner == null ? 0 : owner.gid();
            switch (e.type()) {
                case DIRECTORY -> {
                    if (c.roots().contains(e) && parent.isDirectory(t.path())) {
                        tar.dirIfAbsent(t.path(), uid, gid); // the existing destination keeps its metadata
                    } else {
                        tar.dir(t.path(), e.mode(), uid, gid, e.mtimeMillis());
                    }
                }
                case SYMLINK -> tar.symlink(t.path(), e.linkTarget(), uid, gid, e.mtimeMillis());
                case FILE -> {
                    if (extract && c.roots().contains(e) && extractArchive(tar, c, e, dest, uid, gid, owner != null)) {
                        continue;
                    }
                    try (InputStream in = c.context().open(e.path())) {
                        tar.file(t.path(), e.mode(), uid, gid, e.mtimeMillis(), e.size(), in);
                    }
                }
            }
        }
    }

    /** ADD of a local archive: its members under {@code dest}; false when the file is no tar archive. */
    private static boolean extractArchive(CopyTar tar, CopySource.Context c, ContextEntry e, String dest, int uid,
                                          int gid, boolean chown) throws IOException {
        try (InputStream raw = new BufferedInputStream(c.context().open(e.path()), 64 * 1024)) {
            InputStream in = raw;
            try {
                String kind = CompressorStreamFactory.detect(raw);
                in = new BufferedInputStream(new CompressorStreamFactory().createCompressorInputStream(kind, raw));
            } catch (CompressorException notCompressed) {
                // plain
            }
            in.mark(1024);
            byte[] head = in.readNBytes(512);
            in.reset();
            if (head.length < 512 || !TarArchiveInputStream.matches(head, head.length)) {
                return false;
            }
            TarArchiveInputStream t = new GuardedTarInputStream(in);
            TarArchiveEntry te;
            String base = GoPath.clean(dest);
            while ((te = t.getNextEntry()) != null) {
                String rel = GoPath.clean("/" + te.getName());
                String target = base.equals("/") ? rel : base + rel;
                if (rel.equals("/")) {
                    continue;
                }
                int u = chown ? uid : (int) te.getLongUserId();
                int g = chown ? gid : (int) te.getLongGroupId();
                long mtime = te.getModTime().getTime();
                if (te.isDirectory()) {
                    tar.dir(target, te.getMode(), u, g, mtime);
                } else if (te.isSymbolicLink()) {
                    tar.symlink(target, te.getLinkName(), u, g, mtime);
                } else if (te.isFile()) {
                    tar.file(target, te.getMode(), u, g, mtime, te.getSize(), t);
                }
                // hard links, devices and fifos in ADD archives are skipped
            }
            return true;
        }
    }

    private void fromImage(CopyTar tar, CopySource.FromImage f, String dest, boolean destIsDir, ImageTree parent,
                           boolean keepOwner, int uid, int gid) throws IOException {
        ImageTree src = images.imageTree(f.imageId());
        List<String> roots = new ArrayList<>();
        String path = GoPath.clean("/" + f.path());
        if (GoGlob.hasMeta(path)) {
            String dir = GoPath.dir(path);
            for (String n : src.list(dir)) {
                String candidate = dir.equals("/") ? "/" + n : dir + "/" + n;
                if (GoGlob.match(path, candidate)) {
                    roots.add(candidate);
                }
            }
        } else if (src.resolve(path).isPresent()) {
            roots.add(path);
        }
        if (roots.isEmpty()) {
            throw BerthException.invalid("COPY failed: stat %s: file does not exist", f.path());
        }
        boolean intoDir = destIsDir || roots.size() > 1;
        for (String root : roots) {
            String resolved = followSymlink(src, root);
            Path host = src.resolve(resolved).orElseThrow();
            if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
                copyTree(tar, src, resolved, GoPath.clean(dest), parent, keepOwner, uid, gid, true);
            } else {
                String target = intoDir ? join(dest, GoPath.base(root)) : GoPath.clean(dest);
                copyOne(tar, host, target, keepOwner, uid, gid);
            }
        }
    }

    /** A source path that is itself a symlink is followed (within the image), as the builder does. */
    private static String followSymlink(ImageTree src, String path) throws IOException {
        String p = path;
        for (int i = 0; i < 40; i++) {
            Optional<Path> host = src.resolve(p);
            if (host.isEmpty() || !Files.isSymbolicLink(host.get())) {
                return p;
            }
            String target = Files.readSymbolicLink(host.get()).toString();
            p = target.startsWith("/") ? GoPath.clean(target) : GoPath.clean(GoPath.dir(p) + "/" + target);
        }
        throw BerthException.invalid("too many levels of symbolic links: %s", path);
    }

    private void copyTree(CopyTar tar, ImageTree src, String srcDir, String destDir, ImageTree parent,
                          boolean keepOwner, int uid, int gid, boolean isRoot) throws IOException {
        Path host = src.resolve(srcDir).orElseThrow();
        Map<String, Object> a = attrs(host);
        if (isRoot && parent.isDirectory(destDir)) {
            tar.dirIfAbsent(destDir, uid, gid); // the existing destination keeps its metadata
        } else {
            tar.dir(destDir, (Integer) a.get("mode") & 07777, keepOwner ? (Integer) a.get("uid") : uid,
                    keepOwner ? (Integer) a.get("gid") : gid, ((FileTime) a.get("lastModifiedTime")).toMillis());
        }
        for (String n : src.list(srcDir)) {
            String s = srcDir.equals("/") ? "/" + n : srcDir + "/" + n;
            String d = destDir.equals("/") ? "/" + n : destDir + "/" + n;
            Path h = src.resolve(s).orElseThrow();
            if (Files.isDirectory(h, LinkOption.NOFOLLOW_LINKS)) {
                copyTree(tar, src, s, d, parent, keepOwner, uid, gid, false);
            } else {
                copyOne(tar, h, d, keepOwner, uid, gid);
            }
        }
    }

    private static void copyOne(CopyTar tar, Path host, String target, boolean keepOwner, int uid, int gid)
            throws IOException {
        Map<String, Object> a = attrs(host);
        int u = keepOwner ? (Integer) a.get("uid") : uid;
        int g = keepOwner ? (Integer) a.get("gid") : gid;
        long mtime = ((FileTime) a.get("lastModifiedTime")).toMillis();
        if (Files.isSymbolicLink(host)) {
            tar.symlink(target, Files.readSymbolicLink(host).toString(), u, g, mtime);
        } else if (Files.isRegularFile(host, LinkOption.NOFOLLOW_LINKS)) {
            try (InputStream in = Files.newInputStream(host, LinkOption.NOFOLLOW_LINKS)) {
                tar.file(target, (Integer) a.get("mode") & 07777, u, g, mtime, (Long) a.get("size"), in);
            }
        }
        // devices, fifos and sockets are not copied between images
    }

    private static Map<String, Object> attrs(Path p) throws IOException {
        return Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    }

    private static String join(String dir, String name) {
        String d = GoPath.clean(dir);
        return d.equals("/") ? "/" + name : d + "/" + name;
    }
}
