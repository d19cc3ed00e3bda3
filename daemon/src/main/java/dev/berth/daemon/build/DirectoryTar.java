package dev.berth.daemon.build;

import dev.berth.common.BerthException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a directory tree as an uncompressed tar, as dockerd's {@code archive.Tar} does for a git
 * checkout: everything below the root (the {@code .git} directory included), symlinks stored as
 * links and never followed, devices and sockets skipped. The tar then goes through the same
 * guarded reader as a context the client sent. Stops with an error once the file data passes
 * {@code maxBytes}. Pure apart from reading the tree; thread-safe.
 */
final class DirectoryTar {
    private DirectoryTar() {}

    static void write(Path root, OutputStream sink, long maxBytes) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(sink, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        long[] total = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(root)) {
                    add(tar, root, dir, attrs, TarConstants.LF_DIR, null);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isSymbolicLink()) {
                    add(tar, root, file, attrs, TarConstants.LF_SYMLINK, Files.readSymbolicLink(file).toString());
                } else if (attrs.isRegularFile()) {
                    total[0] += attrs.size();
                    if (total[0] > maxBytes) {
                        throw BerthException.invalid("the git context is larger than the limit of %d bytes", maxBytes);
                    }
                    add(tar, root, file, attrs, TarConstants.LF_NORMAL, null);
                    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                        // copy exactly the size in the header, even if the file changed meanwhile
                        long copied = in.transferTo(new BoundedOut(tar, attrs.size()));
                        for (long i = copied; i < attrs.size(); i++) {
                            tar.write(0);
                        }
                    }
                    tar.closeArchiveEntry();
                }
                return FileVisitResult.CONTINUE;
            }
        });
        tar.finish();
        tar.flush();
    }

    private static void add(TarArchiveOutputStream tar, Path root, Path p, BasicFileAttributes attrs, byte type,
                            String link) throws IOException {
        String name = root.relativize(p).toString().replace('\\', '/');
        TarArchiveEntry e = new TarArchiveEntry(type == TarConstants.LF_DIR ? name + "/" : name, type);
        int mode = type == TarConstants.LF_DIR ? 0755 : 0644;
        try {
            Map<String, Object> unix = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
            mode = ((Integer) unix.get("mode")) & 07777;
            e.setUserId((Integer) unix.get("uid"));
            e.setGroupId((Integer) unix.get("gid"));
        } catch (UnsupportedOperationException | IllegalArgumentException ignored) {
            // not a unix file system: keep the defaults
        }
        e.setMode(mode);
        e.setModTime(attrs.lastModifiedTime());
        if (link != null) {
            e.setLinkName(link);
        }
        if (type == TarConstants.LF_NORMAL) {
            e.setSize(attrs.size());
        }
        tar.putArchiveEntry(e);
        if (type != TarConstants.LF_NORMAL) {
            tar.closeArchiveEntry();
        }
    }

    /** Passes at most {@code limit} bytes through; the rest is dropped. */
    private static final class BoundedOut extends OutputStream {
        private final OutputStream out;
        private long left;

        BoundedOut(OutputStream out, long limit) {
            this.out = out;
            this.left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            if (left > 0) {
                out.write(b);
                left--;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int n = (int) Math.min(len, left);
            if (n > 0) {
                out.write(b, off, n);
                left -= n;
            }
        }
    }
}
