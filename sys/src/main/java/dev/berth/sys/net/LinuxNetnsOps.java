package dev.berth.sys.net;

import dev.berth.common.BerthException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Persistent namespaces as {@code ip netns add} makes them: a throwaway platform thread calls
 * unshare(CLONE_NEWNET) and bind-mounts its {@code /proc/thread-self/ns/net} on the file (FFM,
 * no process spawn; falls back to util-linux {@code unshare --net=<file> true} if the syscalls
 * fail); deletion is umount2(2) of the file, then removes it. Stateless and thread-safe.
 */
public final class LinuxNetnsOps implements NetnsOps {

    @Override
    public void create(Path path) {
        Path p = path.toAbsolutePath();
        try {
            Files.createDirectories(p.getParent());
            if (exists(p)) {
                throw BerthException.conflict("network namespace %s already exists", p);
            }
            if (!Files.exists(p)) {
                Files.createFile(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (NativeNetns.create(p)) {
            return;
        }
        Cmd.Result r = Cmd.run(List.of("unshare", "--net=" + p, "true"));
        if (!r.ok()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort; the error below is what matters
            }
            r.orThrow();
        }
    }

    @Override
    public void delete(Path path) {
        Path p = path.toAbsolutePath();
        // A file may carry stacked mounts if something went wrong earlier; unmount them all.
        for (int i = 0; i < 8 && exists(p); i++) {
            if (NativeNetns.umount(p, false)) {
                continue;
            }
            if (!Cmd.run(List.of("umount", p.toString())).ok()) {
                Cmd.run(List.of("umount", "-l", p.toString())).orThrow();
            }
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean exists(Path path) {
        if (!Files.exists(path)) {
            return false;
        }
        try {
            // mountinfo shows resolved paths (/var/run is often a symlink to /run).
            String target = path.toRealPath().toString();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && unescape(f[4]).equals(target)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
