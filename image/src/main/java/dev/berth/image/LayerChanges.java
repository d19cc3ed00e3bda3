package dev.berth.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * {@code docker diff} from an overlay upper directory and the image below it, as moby's overlay
 * change detection reports it: a whiteout is a deletion, a path the lower layers lack is an
 * addition (with everything below an added directory), any other path in the upper directory is
 * a modification (directories are copied up only when something in them changed, so they show as
 * modified parents). Sorted by path. Stateless and thread-safe.
 */
final class LayerChanges {
    private LayerChanges() {}

    static List<ImageService.Change> compute(Path upper, ImageTree lower, Predicate<LayerTarWriter.Attrs> whiteout)
            throws IOException {
        return compute(upper, lower, whiteout, (p, a) -> false);
    }

    /** {@code skip} leaves out entries (absolute path, attributes) and everything below them. */
    static List<ImageService.Change> compute(Path upper, ImageTree lower, Predicate<LayerTarWriter.Attrs> whiteout,
                                             BiPredicate<String, LayerTarWriter.Attrs> skip) throws IOException {
        List<ImageService.Change> out = new ArrayList<>();
        walk(upper, "", lower, whiteout, skip, false, out);
        out.sort((a, b) -> a.path().compareTo(b.path()));
        return out;
    }

    private static void walk(Path dir, String prefix, ImageTree lower, Predicate<LayerTarWriter.Attrs> whiteout,
                             BiPredicate<String, LayerTarWriter.Attrs> skip, boolean underAdded,
                             List<ImageService.Change> out) throws IOException {
        String[] names;
        try (var s = Files.list(dir)) {
            names = s.map(p -> p.getFileName().toString()).toArray(String[]::new);
        }
        Arrays.sort(names);
        for (String name : names) {
            Path p = dir.resolve(name);
            String path = prefix + "/" + name;
            LayerTarWriter.Attrs a = LayerTarWriter.lstat(p);
            if (skip.test(path, a)) {
                continue;
            }
            if (whiteout.test(a)) {
                out.add(new ImageService.Change(path, ImageService.ChangeKind.DELETED));
                continue;
            }
            boolean added = underAdded || lower.resolve(path).isEmpty();
            out.add(new ImageService.Change(path, added ? ImageService.ChangeKind.ADDED : ImageService.ChangeKind.MODIFIED));
            if (a.type() == LayerTarWriter.S_IFDIR) {
                walk(p, path, lower, whiteout, skip, added, out);
            }
        }
    }
}
