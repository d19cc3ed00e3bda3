package dev.berth.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Atomic file replacement: temp file in the same directory, (fsync,) rename. {@link #write}
 * is durable; {@link #writeVolatile} skips the fsync and is for the exec root's runtime state
 * (bundle config.json, exec process specs, records), which lives in /run like Docker's and means
 * nothing after a reboot: the rename still makes every reader see all or nothing, and an fsync
 * costs 2-20 ms on the hot paths of {@code docker run} and {@code docker exec}.
 */
final class Atomic {
    private Atomic() {}

    static void write(Path target, byte[] data) throws IOException {
        write(target, data, true);
    }

    static void writeVolatile(Path target, byte[] data) throws IOException {
        write(target, data, false);
    }

    private static void write(Path target, byte[] data, boolean durable) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp" + Thread.currentThread().threadId());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            if (durable) {
                ch.force(true);
            }
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
