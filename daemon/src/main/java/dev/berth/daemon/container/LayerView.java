package dev.berth.daemon.container;

import dev.berth.oci.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A read-only merged view of a container's overlay layers, computed by reading the layer
 * directories (no mount needed): upper first, then lowers top to bottom. Whiteouts (0:0 character
 * devices) hide lower entries; opaque directories are recognized only when the snapshotter uses
 * {@code userxattr} ({@code user.overlay.opaque}), since Java cannot read {@code trusted.*}
 * attributes. Used for volume seeding and export of stopped containers.
 */
final class LayerView {
    private final List<Path> layers; // top first
    private final Path upper; // the container's writable layer, or null

    LayerView(List<Path> layers) {
        this(layers, null);
    }

    LayerView(List<Path> layers, Path upper) {
        this.layers = List.copyOf(layers);
        this.upper = upper;
    }

    /**
     * Whether {@code p} (a path {@link #list} returned) lives in the container's writable layer. Under
     * {@code --userns-remap} only that layer holds host (shifted) ids; the image layers below hold
     * the container's own ids.
     */
    boolean inUpper(Path p) {
        return upper != null && p.startsWith(upper);
    }

    static LayerView of(List<Mount> rootfsMounts) {
        List<Path> out = new ArrayList<>();
        Path upperDir = null;
        for (Mount m : rootfsMounts) {
            if ("overlay".equals(m.type())) {
                String upper = null;
                String lower = null;
                for (String o : m.options()) {
                    if (o.startsWith("upperdir=")) {
                        upper = o.substring(9);
                    } else if (o.startsWith("lowerdir=")) {
                        lower = o.substring(9);
                    }
                }
                if (upper != null) {
                    out.add(Path.of(upper));
                    upperDir = upperDir == null ? Path.of(upper) : upperDir;
                }
                if (lower != null) {
                    for (String l : lower.split(":")) {
                        out.add(Path.of(l));
                    }
                }
            } else if ("bind".equals(m.type()) || m.options().contains("bind") || m.options().contains("rbind")) {
                out.add(Path.of(m.source()));
            }
        }
        return new LayerView(out, upperDir);
    }

    static boolean isWhiteout(Path p) {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            long rdev = ((Number) a.get("rdev")).longValue();
            return (mode & 0170000) == 0020000 && rdev == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    static boolean isOpaque(Path dir) {
        try {
            UserDefinedFileAttributeView v = Files.getFileAttributeView(dir, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            return v != null && v.list().contains("overlay.opaque");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The layer directories that contribute to directory {@code rel} (top first); empty if absent or not a directory. */
    List<Path> dirLayers(String rel) {
        List<Path> out = new ArrayList<>();
        for (Path layer : layers) {
            Path p = layer.resolve(strip(rel));
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) || isWhiteout(p)) {
                if (isWhiteout(p) || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    break;
                }
                out.add(p);
                if (isOpaque(p)) {
                    break;
                }
            }
        }
        return out;
    }

    /** Entries of directory {@code rel} in the merged view: name → the path providing it. */
    Map<String, Path> list(String rel) {
        Map<String, Path> merged = new TreeMap<>();
        java.util.Set<String> hidden = new java.util.HashSet<>();
        for (Path dir : dirLayers(rel)) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    String name = p.getFileName().toString();
                    if (merged.containsKey(name) || hidden.contains(name)) {
                        continue;
                    }
                    if (name.startsWith(".wh.")) { // AUFS-style whiteouts, as in image layers
                        hidden.add(name.substring(4));
                        continue;
                    }
                    if (isWhiteout(p)) {
                        hidden.add(name);
                    } else {
                        merged.put(name, p);
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return merged;
    }

    /** Copies the merged subtree {@code rel} into {@code target} (which must exist), keeping modes, owners and times. */
    void copyTree(String rel, Path target) throws IOException {
        for (var entry : list(rel).entrySet()) {
            Path src = entry.getValue();
            Path dst = target.resolve(entry.getKey());
            String childRel = strip(rel).isEmpty() ? entry.getKey() : strip(rel) + "/" + entry.getKey();
            if (Files.isSymbolicLink(src)) {
                Files.createSymbolicLink(dst, Files.readSymbolicLink(src));
            } else if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(dst);
                copyTree(childRel, dst);
            } else if (Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS)) {
                Files.copy(src, dst, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            } else {
                continue; // devices, fifos, sockets: not seeded
            }
            copyOwner(src, dst);
        }
        copyOwner(dirLayers(rel).isEmpty() ? target : dirLayers(rel).getFirst(), target);
    }

    private static void copyOwner(Path src, Path dst) {
        try {
            Map<String, Object> a = Files.readAttributes(src, "unix:uid,gid,mode,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(dst, "unix:uid", a.get("uid"), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(dst, "unix:gid", a.get("gid"), LinkOption.NOFOLLOW_LINKS);
            if (!Files.isSymbolicLink(dst)) {
                Files.setAttribute(dst, "unix:mode", a.get("mode"));
                Files.setLastModifiedTime(dst, (java.nio.file.attribute.FileTime) a.get("lastModifiedTime"));
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // best effort: ownership needs root; contents are what matters
        }
    }

    static String strip(String rel) {
        String r = rel;
        while (r.startsWith("/")) {
            r = r.substring(1);
        }
        return r;
    }
}
