package dev.berth.builder.context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A build context read from a local directory (for embedded use and tests). File metadata (mode,
 * uid, gid) comes from the file system; symlinks are not followed.
 */
public final class DirectoryBuildContext extends MapBuildContext {

    private DirectoryBuildContext(Map<String, ContextEntry> entries, Path root) {
        super(entries, e -> {
            try {
                return Files.newInputStream(root.resolve(e.path()), LinkOption.NOFOLLOW_LINKS);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
    }

    public static DirectoryBuildContext of(Path root) throws IOException {
        Map<String, ContextEntry> map = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                String rel = root.relativize(p).toString().replace('\\', '/');
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                int mode = 0644;
                int uid = 0;
                int gid = 0;
                try {
                    Map<String, Object> unix = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
                    mode = ((Integer) unix.get("mode")) & 07777;
                    uid = (Integer) unix.get("uid");
                    gid = (Integer) unix.get("gid");
                } catch (UnsupportedOperationException | IllegalArgumentException ignored) {
                    // not a unix file system: keep defaults
                }
                ContextEntry.Type type = a.isSymbolicLink() ? ContextEntry.Type.SYMLINK
                        : a.isDirectory() ? ContextEntry.Type.DIRECTORY : ContextEntry.Type.FILE;
                String link = type == ContextEntry.Type.SYMLINK ? Files.readSymbolicLink(p).toString() : null;
                map.put(rel, new ContextEntry(rel, type, type == ContextEntry.Type.FILE ? a.size() : 0, mode, uid, gid,
                        link, a.lastModifiedTime().toMillis()));
            }
        }
        return new DirectoryBuildContext(map, root);
    }

    @Override
    public InputStream open(String path) throws IOException {
        try {
            return super.open(path);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
