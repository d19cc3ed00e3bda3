package dev.berth.common;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bytes used by a directory tree, as Docker's {@code directory.Size}: apparent sizes of regular
 * files, hard links counted once, symlinks not followed. Volumes and prunes report this figure.
 * Stateless.
 */
public final class DirectorySize {
    private DirectorySize() {}

    public static long of(Path dir) throws IOException {
        long[] total = {0};
        Set<List<Object>> seen = new HashSet<>();
        Files.walkFileTree(dir, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    Map<String, Object> unix = Files.readAttributes(file, "unix:nlink,ino,dev", LinkOption.NOFOLLOW_LINKS);
                    if (((Number) unix.get("nlink")).intValue() > 1 && !seen.add(List.of(unix.get("dev"), unix.get("ino")))) {
                        return FileVisitResult.CONTINUE;
                    }
                    total[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                // files may vanish while a container writes; size is best effort as in Docker
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }
}
