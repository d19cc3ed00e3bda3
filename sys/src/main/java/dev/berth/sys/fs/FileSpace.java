package dev.berth.sys.fs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Gives the blocks of a file range back to the file system while the file keeps its size and
 * offsets ({@code fallocate(PUNCH_HOLE | KEEP_SIZE)}): for a file another process keeps appending
 * to (conmon's output spool), whose beginning has been consumed and will never be read again.
 * Reads of a punched range return zeros. Implementations are stateless and thread-safe.
 */
public interface FileSpace {
    /**
     * Punches {@code [offset, offset + length)} of the file at {@code path} — only if the path still
     * names the file identified by {@code fileKey} (a {@link java.nio.file.attribute.BasicFileAttributes#fileKey()}),
     * so a file renamed over the path in the meantime is never touched.
     *
     * @return false when the path names another file (or none) now; nothing was done
     * @throws IOException when the file system cannot punch holes (EOPNOTSUPP) or another error occurs
     */
    boolean punchHole(Path path, Object fileKey, long offset, long length) throws IOException;

    /** The Linux implementation (FFM calls into libc). */
    static FileSpace linux() {
        return new LinuxFileSpace();
    }
}
