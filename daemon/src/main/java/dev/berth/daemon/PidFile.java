package dev.berth.daemon;

import dev.berth.common.BerthException;
import dev.berth.sys.proc.ProcFs;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The daemon's pid file: refuses to start when it names a live process (another berthd), is
 * written atomically, and is removed at shutdown only if it still holds our pid.
 */
public final class PidFile {
    private final Path path;
    private final long pid;

    private PidFile(Path path, long pid) {
        this.path = path;
        this.pid = pid;
    }

    /** Claims {@code path} for this process; CONFLICT (dockerd's wording) if a live process holds it. */
    public static PidFile claim(Path path, ProcFs proc) {
        try {
            String old = Files.readString(path).trim();
            if (!old.isEmpty()) {
                int oldPid = Integer.parseInt(old);
                if (oldPid != ProcessHandle.current().pid() && proc.alive(oldPid)) {
                    throw BerthException.conflict("pid file found, ensure berthd is not running or delete %s (process %d is alive)", path, oldPid);
                }
            }
        } catch (NoSuchFileException e) {
            // no previous daemon
        } catch (NumberFormatException e) {
            // garbage: a crash mid-write of an older daemon; overwrite
        } catch (IOException e) {
            throw BerthException.internal("read pid file " + path + ": " + e.getMessage(), e);
        }
        long me = ProcessHandle.current().pid();
        try {
            Files.createDirectories(path.getParent());
            Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(Long.toString(me).getBytes(StandardCharsets.US_ASCII)));
                ch.force(true);
            }
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw BerthException.internal("write pid file " + path + ": " + e.getMessage(), e);
        }
        return new PidFile(path, me);
    }

    public void remove() {
        try {
            if (Files.readString(path).trim().equals(Long.toString(pid))) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // already gone
        }
    }
}
