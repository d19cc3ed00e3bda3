package dev.berth.builder.context;

import java.util.ArrayDeque;
import java.util.Deque;

/** Go's {@code path.Clean} and friends for slash-separated paths. Pure utility. */
public final class GoPath {
    private GoPath() {}

    /** Lexically cleans a path: collapses {@code //}, removes {@code .}, resolves {@code ..}. */
    public static String clean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.startsWith("/");
        Deque<String> parts = new ArrayDeque<>();
        for (String seg : path.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
                    parts.removeLast();
                } else if (!rooted) {
                    parts.addLast("..");
                }
                continue;
            }
            parts.addLast(seg);
        }
        String joined = String.join("/", parts);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /**
     * A path inside the build context: cleaned as if rooted, so that leading {@code /} and any
     * {@code ../} cannot leave the context. Returns "" for the context root.
     */
    public static String contextPath(String path) {
        String c = clean("/" + path);
        return c.equals("/") ? "" : c.substring(1);
    }

    public static String dir(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? "." : i == 0 ? "/" : path.substring(0, i);
    }

    public static String base(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        int i = path.lastIndexOf('/');
        return i < 0 ? path : path.substring(i + 1);
    }
}
