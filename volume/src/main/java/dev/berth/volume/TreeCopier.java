package dev.berth.volume;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a directory tree the way Docker copies image content into a fresh volume: owners, modes
 * (including setuid/setgid/sticky), times and hard links are kept, symbolic links are copied as
 * links and never followed. Sockets, FIFOs and device nodes are skipped (they cannot be copied
 * meaningfully without mknod, and images rarely put them under a VOLUME path). Stateless.
 */
final class TreeCopier {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private TreeCopier() {}

    /** Copies the children of {@code source} into the existing directory {@code target}, and source's owner/mode/times onto target. */
    static void copyContents(Path source, Path target) throws IOException {
        Map<List<Object>, Path> linked = new HashMap<>();
        Files.walkFileTree(source, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(source)) {
                    Files.copy(dir, map(dir), StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path dest = map(file);
                if (attrs.isSymbolicLink()) {
                    Files.copy(file, dest, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
                    copyTimes(attrs, dest);
                } else if (attrs.isRegularFile()) {
                    Map<String, Object> unix = Files.readAttributes(file, "unix:nlink,ino,dev", NOFOLLOW);
                    if (((Number) unix.get("nlink")).intValue() > 1) {
                        List<Object> key = List.of(unix.get("dev"), unix.get("ino"));
                        Path first = linked.putIfAbsent(key, dest);
                        if (first != null) {
                            Files.createLink(dest, first);
                            return FileVisitResult.CONTINUE;
                        }
                    }
                    Files.copy(file, dest, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                // Copying children touched the directory's mtime; put the source's times back last.
                Path dest = map(dir);
                if (dir.equals(source)) {
                    copyOwnerAndMode(source, dest);
                }
                copyTimes(Files.readAttributes(dir, BasicFileAttributes.class, NOFOLLOW), dest);
                return FileVisitResult.CONTINUE;
            }

            private Path map(Path p) {
                return target.resolve(source.relativize(p).toString());
            }
        });
    }

    private static void copyOwnerAndMode(Path from, Path to) throws IOException {
        Map<String, Object> a = Files.readAttributes(from, "unix:uid,gid,mode", NOFOLLOW);
        Files.setAttribute(to, "unix:uid", a.get("uid"), NOFOLLOW);
        Files.setAttribute(to, "unix:gid", a.get("gid"), NOFOLLOW);
        Files.setAttribute(to, "unix:mode", ((Number) a.get("mode")).intValue() & 07777, NOFOLLOW);
    }

    private static void copyTimes(BasicFileAttributes attrs, Path dest) throws IOException {
        try {
            Files.getFileAttributeView(dest, BasicFileAttributeView.class, NOFOLLOW)
                    .setTimes(attrs.lastModifiedTime(), attrs.lastAccessTime(), null);
        } catch (FileAlreadyExistsException | UnsupportedOperationException e) {
            // some file systems cannot set times on symlinks; the content is what matters
        }
    }
}
