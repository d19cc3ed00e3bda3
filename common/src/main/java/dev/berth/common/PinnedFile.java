package dev.berth.common;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * A file opened for reading together with its identity ({@link BasicFileAttributes#fileKey()}),
 * for readers of files that a writer replaces by renaming a new one over the path (log rotation):
 * comparing {@link #keyOf} of the path with {@link #fileKey} tells whether the path still names
 * the opened file. The caller owns (and closes) the channel.
 */
public record PinnedFile(FileChannel channel, Object fileKey) {
    /**
     * Opens {@code path}; the key is trusted only if the path named the same file just before and
     * just after the open (a few attempts while it is being replaced). Empty when the path does
     * not exist or keeps changing.
     */
    public static Optional<PinnedFile> open(Path path) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            Object before = keyOf(path);
            FileChannel ch;
            try {
                ch = FileChannel.open(path, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            if (before != null && before.equals(keyOf(path))) {
                return Optional.of(new PinnedFile(ch, before));
            }
            ch.close();
        }
        return Optional.empty();
    }

    /** The identity of the file the path names now; null when there is none. */
    public static Object keyOf(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
