package dev.berth.daemon.build;

import dev.berth.builder.context.GoPath;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a relative path inside a directory the way moby's {@code symlink.FollowSymlinkInScope}
 * does: a path that lexically leaves the root is refused; symlinks met on the way are followed,
 * but an absolute target is taken relative to the root and {@code ..} stops at the root, so the
 * result is always the root or below it. Used for the {@code #ref:subdir} of a git context.
 * Pure apart from reading links; thread-safe.
 */
final class ScopedPath {
    private ScopedPath() {}

    /** Linux's limit on symlinks followed in one lookup. */
    private static final int MAX_LINKS = 255;

    /**
     * @throws BerthException dockerd's "error setting git context, "sub" not within git root"
     *     when {@code rel} leaves {@code root} lexically, or when links loop
     */
    static Path resolve(Path root, String rel) throws IOException {
        String cleaned = GoPath.clean(rel);
        if (cleaned.equals("..") || cleaned.startsWith("../")) {
            // filepath.Join(root, rel) cleans lexically first: a path that ends outside is refused
            throw outside(rel);
        }
        Deque<String> todo = new ArrayDeque<>(parts(cleaned));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pollFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue; // ".." at the root stays at the root
            }
            Path here = join(root, done).resolve(part);
            if (Files.isSymbolicLink(here)) {
                if (++links > MAX_LINKS) {
                    throw outside(rel);
                }
                String target = Files.readSymbolicLink(here).toString();
                if (target.startsWith("/")) {
                    done.clear(); // an absolute target is read inside the root
                }
                List<String> t = parts(target);
                for (int i = t.size() - 1; i >= 0; i--) {
                    todo.addFirst(t.get(i));
                }
            } else {
                done.add(part);
            }
        }
        return join(root, done);
    }

    private static BerthException outside(String rel) {
        return new BerthException(ErrorKind.INTERNAL, "error setting git context, \"%s\" not within git root".formatted(rel));
    }

    private static List<String> parts(String p) {
        List<String> out = new ArrayList<>();
        for (String s : p.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static Path join(Path root, List<String> parts) {
        Path p = root;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }
}
