package dev.berth.daemon.backend;

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

/** du-like byte counts of daemon directories (regular files, hard links once, links not followed). */
final class DiskUsage {
    private DiskUsage() {}

    /** Bytes under the image store's directories ({@code <data-root>/image} and {@code /snapshots}). */
    static long imageBytes(Path dataRoot) {
        return du(dataRoot.resolve("image")) + du(dataRoot.resolve("snapshots"));
    }

    static long du(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        long[] total = {0};
        Set<List<Object>> seen = new HashSet<>();
        try {
            Files.walkFileTree(dir, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile()) {
                        Map<String, Object> u = Files.readAttributes(file, "unix:nlink,ino,dev", LinkOption.NOFOLLOW_LINKS);
                        if (((Number) u.get("nlink")).intValue() > 1 && !seen.add(List.of(u.get("dev"), u.get("ino")))) {
                            return FileVisitResult.CONTINUE;
                        }
                        total[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort, like docker system df
        }
        return total[0];
    }
}
