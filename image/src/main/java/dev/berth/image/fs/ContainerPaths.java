package dev.berth.image.fs;

import java.util.ArrayList;
import java.util.List;

/** Lexical helpers for container paths (always {@code /}-separated, absolute). Pure utility. */
final class ContainerPaths {
    private ContainerPaths() {}

    /** Lexically cleans an absolute path: {@code /a/./b/../c/} → {@code /a/c}; {@code ..} stops at {@code /}. */
    static String clean(String path) {
        return "/" + String.join("/", components(path));
    }

    /** The cleaned components of {@code path} (taken as absolute). */
    static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
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

    static String join(List<String> comps) {
        return "/" + String.join("/", comps);
    }

    /**
     * Docker's base name of a requested path ({@code filepath.Base} of the path made absolute,
     * keeping a trailing {@code /.}): {@code /a/b} → {@code b}, {@code /a/b/} → {@code b},
     * {@code /a/b/.} → {@code .}, {@code /} → {@code /}.
     */
    static String baseName(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        if (p.endsWith("/.") || p.equals(".")) {
            return ".";
        }
        List<String> comps = components(p);
        return comps.isEmpty() ? "/" : comps.getLast();
    }

    /** True when the request means "follow the last element": a trailing {@code /} or {@code /.}. */
    static boolean followsLast(String path) {
        return path.endsWith("/") || path.endsWith("/.") || path.equals(".");
    }
}
