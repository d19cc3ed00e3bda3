package dev.berth.builder.ignore;

import dev.berth.builder.context.GoPath;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code .dockerignore} file as the docker CLI does: a UTF-8 BOM is dropped, lines
 * starting with {@code #} are comments, whitespace is trimmed, patterns are cleaned and a
 * leading {@code /} is removed ({@code !} exceptions keep their mark). Pure utility.
 */
public final class DockerIgnore {
    private DockerIgnore() {}

    /** The patterns of the file, in order. */
    public static List<String> read(String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> out = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            String p = line.strip();
            if (p.isEmpty()) {
                continue;
            }
            boolean invert = p.charAt(0) == '!';
            if (invert) {
                p = p.substring(1).strip();
            }
            if (!p.isEmpty()) {
                p = GoPath.clean(p);
                if (p.length() > 1 && p.charAt(0) == '/') {
                    p = p.substring(1);
                }
            }
            out.add(invert ? "!" + p : p);
        }
        return out;
    }

    /** A matcher for the file's patterns. */
    public static PatternMatcher matcher(String text) {
        return new PatternMatcher(read(text));
    }
}
