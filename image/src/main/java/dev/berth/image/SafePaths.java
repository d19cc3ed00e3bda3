package dev.berth.image;

import dev.berth.common.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Path handling that can never leave a root directory: names are cleaned lexically ({@code ..}
 * above the root is an error) and directories are resolved one component at a time with lstat,
 * symlinks being followed as if the root were {@code /} (chroot semantics), so the host's file
 * system is never reached through a link. Pure utility.
 */
final class SafePaths {
    private static final int MAX_LINKS = 40;

    private SafePaths() {}

    /**
     * Cleans a tar member name into components. A leading {@code /} is dropped (as Docker does);
     * {@code ..} that would climb above the root fails with INVALID_ARGUMENT.
     */
    static List<String> clean(String name) {
        List<String> out = new ArrayList<>();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (out.isEmpty()) {
                    throw BerthException.invalid("invalid tar entry %s: path escapes the target directory", quote(name));
                }
                out.removeLast();
                continue;
            }
            if (c.indexOf('\0') >= 0) {
                throw BerthException.invalid("invalid tar entry %s: NUL in name", quote(name));
            }
            out.add(c);
        }
        return out;
    }

    static String quote(String s) {
        return "\"" + s + "\"";
    }

    /**
     * Resolves directory components below {@code root}, following symlinks inside the root only,
     * and creating missing directories (mode 0755) when {@code create}. Returns a path whose every
     * component below root is a real directory.
     */
    static Path resolveDir(Path root, List<String> comps, boolean create) throws IOException {
        List<String> cur = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(comps);
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!cur.isEmpty()) {
                    cur.removeLast();
                }
                continue;
            }
            Path p = join(root, cur).resolve(c);
            BasicFileAttributes a = lstat(p);
            if (a == null) {
                if (!create) {
                    throw new NoSuchFileException(p.toString());
                }
                Files.createDirectory(p);
                cur.add(c);
            } else if (a.isDirectory()) {
                cur.add(c);
            } else if (a.isSymbolicLink()) {
                if (++links > MAX_LINKS) {
                    throw new IOException("too many levels of symbolic links at " + p);
                }
                String target = Files.readSymbolicLink(p).toString();
                if (target.startsWith("/")) {
                    cur.clear();
                }
                String[] parts = target.split("/");
                for (int i = parts.length - 1; i >= 0; i--) {
                    todo.addFirst(parts[i]);
                }
            } else {
                throw new IOException("not a directory: " + p);
            }
        }
        return join(root, cur);
    }

    static Path join(Path root, List<String> comps) {
        Path p = root;
        for (String c : comps) {
            p = p.resolve(c);
        }
        return p;
    }

    /** lstat, or null when absent. */
    static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
