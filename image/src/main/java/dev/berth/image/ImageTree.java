package dev.berth.image;

import dev.berth.sys.fs.FileOps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A read-only merged view of an image's layer directories (overlay semantics, computed in Java
 * without mounting): the topmost layer that has a path wins, a whiteout (character device 0/0)
 * hides it and everything below, an opaque directory hides the lower layers' content of that
 * directory, and a non-directory hides lower paths beneath it. Symlinks are not followed in
 * intermediate components (callers resolve them when they need to). Used by {@code docker diff}
 * (is this path in a lower layer?) and by the builder (COPY --from, chown name lookup, "is the
 * destination a directory"). Immutable; safe for concurrent use while the layers exist.
 */
public final class ImageTree {
    private final List<Path> layers;
    private final FileOps ops;

    /** @param layersTopFirst the layers' directories, topmost first */
    public ImageTree(List<Path> layersTopFirst, FileOps ops) {
        this.layers = List.copyOf(layersTopFirst);
        this.ops = ops;
    }

    /** The layer directories, topmost first. */
    public List<Path> layers() {
        return layers;
    }

    private static List<String> components(String absPath) {
        List<String> out = new ArrayList<>();
        for (String c : absPath.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!out.isEmpty()) {
                    out.removeLast();
                }
                continue;
            }
            out.add(c);
        }
        return out;
    }

    /**
     * The host path holding the visible entry at {@code absPath} (not following a final
     * symlink), or empty when the image has no such path. "/" resolves to the top layer's root.
     */
    public Optional<Path> resolve(String absPath) {
        List<String> comps = components(absPath);
        if (comps.isEmpty()) {
            return layers.isEmpty() ? Optional.empty() : Optional.of(layers.getFirst());
        }
        try {
            for (Path layer : layers) {
                boolean opaque = false;
                Path q = layer;
                for (int i = 0; i < comps.size(); i++) {
                    q = q.resolve(comps.get(i));
                    LayerTarWriter.Attrs a = lstat(q);
                    if (a == null) {
                        break;
                    }
                    if (isWhiteout(a)) {
                        return Optional.empty();
                    }
                    if (i == comps.size() - 1) {
                        return Optional.of(q);
                    }
                    if (a.type() != LayerTarWriter.S_IFDIR) {
                        return Optional.empty();
                    }
                    if (isOpaque(q)) {
                        opaque = true;
                    }
                }
                if (opaque) {
                    return Optional.empty();
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code absPath} with every symlink in it resolved inside the image (as a chroot would: ".."
     * stops at "/", absolute targets start at the image root); components that do not exist are
     * kept as they are. Always absolute and clean; loops fail after 40 links.
     */
    public String realPath(String absPath) {
        List<String> todo = new ArrayList<>(components(absPath));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.removeFirst();
            if (c.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            done.add(c);
            Optional<Path> p = resolve("/" + String.join("/", done));
            if (p.isPresent() && Files.isSymbolicLink(p.get())) {
                if (++links > 40) {
                    throw dev.berth.common.BerthException.invalid("too many levels of symbolic links: %s", absPath);
                }
                String target;
                try {
                    target = Files.readSymbolicLink(p.get()).toString();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                done.removeLast();
                if (target.startsWith("/")) {
                    done.clear();
                }
                List<String> t = new ArrayList<>();
                for (String x : target.split("/")) {
                    if (!x.isEmpty() && !x.equals(".")) {
                        t.add(x);
                    }
                }
                todo.addAll(0, t);
            }
        }
        return "/" + String.join("/", done);
    }

    /** Whether {@code absPath} is a directory in the image (symlinks followed inside the image). */
    public boolean isDirectory(String absPath) {
        return resolve(realPath(absPath)).map(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .orElse(false);
    }

    /** Names in the directory {@code absDir} of the merged view, sorted; empty when not a directory. */
    public List<String> list(String absDir) {
        List<String> comps = components(absDir);
        String dir = "/" + String.join("/", comps);
        Set<String> candidates = new LinkedHashSet<>();
        try {
            for (Path layer : layers) {
                Path q = layer;
                for (String c : comps) {
                    q = q.resolve(c);
                }
                LayerTarWriter.Attrs a = lstat(q);
                if (a == null || a.type() != LayerTarWriter.S_IFDIR) {
                    continue;
                }
                try (var s = Files.list(q)) {
                    s.forEach(p -> candidates.add(p.getFileName().toString()));
                }
                if (isOpaque(q)) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> out = new TreeSet<>();
        for (String n : candidates) {
            if (resolve((dir.equals("/") ? "" : dir) + "/" + n).isPresent()) {
                out.add(n);
            }
        }
        return List.copyOf(out);
    }

    /** Reads a small file of the image (e.g. /etc/passwd), or empty when absent or not a regular file. */
    public Optional<String> readString(String absPath) {
        return resolve(realPath(absPath)).filter(Files::isRegularFile).map(p -> {
            try {
                return Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static LayerTarWriter.Attrs lstat(Path p) throws IOException {
        try {
            return LayerTarWriter.lstat(p);
        } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
            return null;
        }
    }

    static boolean isWhiteout(LayerTarWriter.Attrs a) {
        return a.type() == LayerTarWriter.S_IFCHR && a.rdev() == 0;
    }

    boolean isOpaque(Path dir) throws IOException {
        return ops.getXattr(dir, "trusted.overlay.opaque")
                .map(v -> new String(v, StandardCharsets.US_ASCII).equals("y")).orElse(false);
    }
}
