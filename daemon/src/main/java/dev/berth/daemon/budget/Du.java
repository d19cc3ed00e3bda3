package dev.berth.daemon.budget;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import dev.berth.sys.fs.Lstat;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * Disk usage like {@code du -s -B1}: the bytes a
 * tree really occupies ({@code st_blocks * 512}), hard links counted once, symlinks not followed,
 * mount points below the root not crossed (a running container's mounted rootfs is not counted
 * twice). Pure utility.
 */
public final class Du {
    private Du() {}

    public static long bytes(Path root) {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        long[] total = {0};
        Set<Object> seen = new HashSet<>();
        long rootDev;
        try {
            rootDev = Lstat.of(root).dev();
        } catch (IOException e) {
            return 0;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Lstat a = Lstat.of(dir);
                    if (a.dev() != rootDev) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    total[0] += a.blocks() * 512;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Lstat a;
                    try {
                        a = Lstat.of(file);
                    } catch (IOException gone) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (a.nlink() > 1 && !seen.add(a.dev() + ":" + a.ino())) {
                        return FileVisitResult.CONTINUE;
                    }
                    total[0] += a.blocks() * 512;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort
        }
        return total[0];
    }
}
