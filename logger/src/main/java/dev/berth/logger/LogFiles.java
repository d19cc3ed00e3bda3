package dev.berth.logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The file set of one file-based log (json-file or local): the current file {@code <name>} and the rotated ones
 * {@code <name>.1} (newest) … {@code <name>.N}, each possibly gzip'd as {@code <name>.N.gz}. The
 * numbering is dockerd's, so tools that read Docker's log directory read ours. Stateless.
 */
public final class LogFiles {
    private LogFiles() {}

    public static Path rotated(Path current, int n, boolean gz) {
        return current.resolveSibling(current.getFileName() + "." + n + (gz ? ".gz" : ""));
    }

    /** Rotated files that exist, oldest first (highest number first), then the current file if it exists. */
    public static List<Path> oldestFirst(Path current) throws IOException {
        TreeMap<Integer, Path> rotated = new TreeMap<>();
        String prefix = current.getFileName() + ".";
        Path dir = current.toAbsolutePath().getParent();
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.forEach(p -> {
                    String name = p.getFileName().toString();
                    if (!name.startsWith(prefix)) {
                        return;
                    }
                    String rest = name.substring(prefix.length());
                    boolean gz = rest.endsWith(".gz");
                    String num = gz ? rest.substring(0, rest.length() - 3) : rest;
                    if (num.isEmpty() || !num.chars().allMatch(Character::isDigit) || num.length() > 6) {
                        return;
                    }
                    // a plain file wins over a .gz of the same number (the plain one is mid-compression)
                    rotated.merge(Integer.parseInt(num), p, (a, b) -> a.toString().endsWith(".gz") ? b : a);
                });
            }
        }
        List<Path> out = new ArrayList<>(rotated.descendingMap().values());
        if (Files.exists(current)) {
            out.add(current);
        }
        return out;
    }

    /** Every file of the set, for removal. */
    public static void deleteAll(Path current) throws IOException {
        for (Path p : oldestFirst(current)) {
            Files.deleteIfExists(p);
        }
    }
}
