package dev.berth.image.fs;

import dev.berth.sys.fs.DirFd;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes a tree of an untrusted file system: every directory is entered through a handle opened
 * with {@code O_NOFOLLOW}, entries are removed relative to it, so a directory swapped for a symlink
 * during the deletion is never followed (the link itself is removed). Pure utility.
 */
final class SecureDelete {
    private SecureDelete() {}

    /** Deletes {@code p} (given as a path whose parent is pinned, e.g. {@code /proc/self/fd/N/name}). */
    static void deleteTree(Path p) throws IOException {
        BasicFileAttributes a = Resolver.lstat(p);
        if (a == null) {
            return;
        }
        if (a.isDirectory()) {
            try (DirFd d = DirFd.openNoFollow(p)) {
                deleteContents(d);
            } catch (dev.berth.sys.unix.Libc.Errno swapped) {
                // no longer a directory: fall through and remove whatever is there now
            }
        }
        try {
            Files.delete(p);
        } catch (NoSuchFileException gone) {
            // already removed
        } catch (java.nio.file.DirectoryNotEmptyException refilled) {
            deleteTree(p); // something was added meanwhile: go again
        }
    }

    private static void deleteContents(DirFd d) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d.path())) {
            for (Path c : ds) {
                names.add(c.getFileName().toString());
            }
        }
        for (String n : names) {
            deleteTree(d.child(n));
        }
    }
}
