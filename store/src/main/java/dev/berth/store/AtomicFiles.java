package dev.berth.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * Crash-safe file helpers: every write goes to a temp file in the same directory, is fsynced and
 * renamed over the target, and the directory is fsynced. Temp names start with {@value #TMP_PREFIX}
 * so start-up code can sweep leftovers. Pure utility, thread-safe.
 */
public final class AtomicFiles {
    /** Prefix of every temp file or directory this module creates. */
    public static final String TMP_PREFIX = ".tmp-";

    private AtomicFiles() {}

    /** Atomically replaces {@code target} with {@code data}. */
    public static void write(Path target, byte[] data) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(TMP_PREFIX + target.getFileName() + "-" + UUID.randomUUID());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsyncDir(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Best-effort fsync of a directory so a rename inside it is durable. */
    public static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some file systems refuse fsync on directories; the rename is still atomic.
        }
    }

    /** Deletes a tree without following symlinks; absent is fine. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                // An unreadable directory (e.g. overlay's work/work, mode 000): make it readable, retry.
                if (Files.isDirectory(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    file.toFile().setReadable(true);
                    file.toFile().setExecutable(true);
                    file.toFile().setWritable(true);
                    deleteTree(file);
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes a tree by first renaming it to a temp name, so a crash never leaves it half-deleted under its real name. */
    public static void deleteTreeAtomically(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path trash = root.resolveSibling(TMP_PREFIX + "rm-" + root.getFileName() + "-" + UUID.randomUUID());
        Files.move(root, trash, StandardCopyOption.ATOMIC_MOVE);
        fsyncDir(root.toAbsolutePath().getParent());
        deleteTree(trash);
    }

    /** Removes leftover temp files and directories directly inside {@code dir}. */
    public static void sweepTemps(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().startsWith(TMP_PREFIX)) {
                    deleteTree(p);
                }
            }
        }
    }
}
