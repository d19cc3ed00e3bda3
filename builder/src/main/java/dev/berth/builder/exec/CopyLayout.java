package dev.berth.builder.exec;

import dev.berth.builder.context.ContextEntry;
import dev.berth.builder.context.ContextSources;
import dev.berth.builder.context.GoPath;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each context file of a COPY/ADD lands, by Docker's rules: a source directory's contents
 * go into the destination (the directory itself is not copied); a source file goes to
 * {@code dest/<name>} when the destination is a directory, else to {@code dest} itself.
 * A helper for {@link BuildWorker} implementations. Pure.
 */
public final class CopyLayout {
    private CopyLayout() {}

    /** One entry and its absolute path in the image. */
    public record Target(ContextEntry entry, String path) {}

    /**
     * @param destination absolute destination as given (trailing slash kept)
     * @param destinationIsDirectory true for a trailing slash, several sources, or an existing
     *     directory in the parent image
     */
    public static List<Target> layout(ContextSources sources, List<ContextEntry> roots, String destination,
                                      boolean destinationIsDirectory) {
        String dest = GoPath.clean(destination);
        List<Target> out = new ArrayList<>();
        for (ContextEntry root : roots) {
            if (root.isDirectory()) {
                out.add(new Target(root, dest));
                for (ContextEntry e : sources.expand(List.of(root))) {
                    if (e.path().equals(root.path())) {
                        continue;
                    }
                    String rel = root.path().isEmpty() ? e.path() : e.path().substring(root.path().length() + 1);
                    out.add(new Target(e, join(dest, rel)));
                }
            } else {
                boolean intoDir = destinationIsDirectory || destination.endsWith("/") || roots.size() > 1;
                out.add(new Target(root, intoDir ? join(dest, GoPath.base(root.path())) : dest));
            }
        }
        return out;
    }

    private static String join(String dir, String rel) {
        return dir.equals("/") ? "/" + rel : dir + "/" + rel;
    }
}
