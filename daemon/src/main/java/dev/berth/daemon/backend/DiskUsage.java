package dev.berth.daemon.backend;

import dev.berth.common.DirectorySize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

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
        try {
            return DirectorySize.of(dir);
        } catch (IOException e) {
            return 0;
        }
    }
}
