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

    /** Whether {@code absPath} is a directory in the image (following a final symlink inside the image once). */
    public boolean isDirectory(String absPath) {
        Optional<Path> p = resolve(absPath);
        if (p.isEmpty()) {
            return false;
        }
        if (Files.isSymbolicLink(p.get())) {
            try {
                String target = Files.readSymbolicLink(p.get()).toString();
                String abs = target.startsWith("/") ? target : parentOf(absPath) + "/" + target;
                return resolve(abs).map(Files::isDirectory).orElse(false) && !Files.isSymbolicLink(resolve(abs).get());
            } catch (IOException e) {
                return false;
            }
        }
        return Files.isDirectory(p.get());
    }

    private static String parentOf(String absPath) {
        List<String> c = components(absPath);
        return c.isEmpty() ? "" : "/" + String.join("/", c.subList(0, c.size() - 1));
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
        return resolve(absPath).filter(Files::isRegularFile).map(p -> {
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
