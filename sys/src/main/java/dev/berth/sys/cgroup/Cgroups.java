package dev.berth.sys.cgroup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads and cleans up cgroupfs hierarchies. Knows the three layouts: v1 (one hierarchy per
 * controller under {@code <root>/<controller>}), hybrid (v1 plus the unified v2 tree at
 * {@code <root>/unified}) and pure v2 ({@code <root>/cgroup.controllers} exists). Paths given to
 * it are cgroupfs paths as in the OCI spec's {@code cgroupsPath}, e.g. {@code /berth/<id>}.
 * The runtime (runc/crun) creates the cgroups; this class reads them and removes leftovers.
 * The root is injectable for tests. Thread-safe.
 */
public final class Cgroups {
    /** v1-with-or-without-unified, or unified only. */
    public enum Mode { V1, HYBRID, V2 }

    private final Path root;

    public Cgroups(Path root) {
        this.root = root;
    }

    public static Cgroups host() {
        return new Cgroups(Path.of("/sys/fs/cgroup"));
    }

    public Path root() {
        return root;
    }

    public Mode mode() {
        if (Files.exists(root.resolve("cgroup.controllers"))) {
            return Mode.V2;
        }
        return Files.isDirectory(root.resolve("unified")) && Files.exists(root.resolve("unified/cgroup.controllers"))
                ? Mode.HYBRID : Mode.V1;
    }

    /**
     * The directory of {@code cgroupsPath} for a v1 {@code controller} (e.g. "memory",
     * "cpuacct"), resolving co-mounted hierarchies such as {@code cpu,cpuacct}; empty on v2 or if
     * the controller is not mounted.
     */
    public Optional<Path> v1Dir(String controller, String cgroupsPath) {
        if (mode() == Mode.V2) {
            return Optional.empty();
        }
        Path direct = root.resolve(controller);
        if (Files.isDirectory(direct)) {
            return Optional.of(direct.resolve(rel(cgroupsPath)));
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (List.of(n.split(",")).contains(controller)) {
                    return Optional.of(p.resolve(rel(cgroupsPath)));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The unified (v2) directory of {@code cgroupsPath}: {@code <root>/<path>} on v2, {@code <root>/unified/<path>} on hybrid. */
    public Optional<Path> v2Dir(String cgroupsPath) {
        return switch (mode()) {
            case V2 -> Optional.of(root.resolve(rel(cgroupsPath)));
            case HYBRID -> Optional.of(root.resolve("unified").resolve(rel(cgroupsPath)));
            case V1 -> Optional.empty();
        };
    }

    /** Every hierarchy's directory for {@code cgroupsPath} (v1 controllers and unified), existing or not. */
    public List<Path> allDirs(String cgroupsPath) {
        List<Path> out = new ArrayList<>();
        if (mode() != Mode.V2) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
                for (Path p : ds) {
                    if (!p.getFileName().toString().equals("unified") && Files.isDirectory(p)) {
                        out.add(p.resolve(rel(cgroupsPath)));
                    }
                }
            } catch (IOException e) {
                // no hierarchies
            }
        }
        v2Dir(cgroupsPath).ifPresent(out::add);
        return out;
    }

    private static String rel(String cgroupsPath) {
        String p = cgroupsPath.startsWith("/") ? cgroupsPath.substring(1) : cgroupsPath;
        if (p.contains("..")) {
            throw new IllegalArgumentException("bad cgroup path " + cgroupsPath);
        }
        return p;
    }

    /** Pids in the cgroup (cgroup.procs of the pids, memory or unified hierarchy, whichever exists). */
    public List<Integer> pids(String cgroupsPath) throws IOException {
        List<Path> candidates = new ArrayList<>();
        v1Dir("pids", cgroupsPath).ifPresent(candidates::add);
        v1Dir("memory", cgroupsPath).ifPresent(candidates::add);
        v1Dir("freezer", cgroupsPath).ifPresent(candidates::add);
        v2Dir(cgroupsPath).ifPresent(candidates::add);
        for (Path dir : candidates) {
            Path procs = dir.resolve("cgroup.procs");
            if (Files.exists(procs)) {
                List<Integer> out = new ArrayList<>();
                collectPids(dir, out);
                return out;
            }
        }
        return List.of();
    }

    private static void collectPids(Path dir, List<Integer> out) throws IOException {
        for (String l : Files.readAllLines(dir.resolve("cgroup.procs"))) {
            if (!l.isBlank()) {
                out.add(Integer.parseInt(l.trim()));
            }
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path c : s.filter(Files::isDirectory).toList()) {
                if (Files.exists(c.resolve("cgroup.procs"))) {
                    collectPids(c, out);
                }
            }
        }
    }

    /** A file's trimmed content, or empty if it does not exist. */
    public static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file).trim());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A file holding one number ("max" reads as -1), or empty. */
    public static Optional<Long> readLong(Path file) {
        return read(file).flatMap(s -> {
            if (s.equals("max")) {
                return Optional.of(-1L);
            }
            try {
                return Optional.of(Long.parseUnsignedLong(s.split("\\s+")[0]));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** A flat-keyed file ("key value" per line, e.g. memory.stat, cpu.stat), in file order. */
    public static Map<String, Long> readKeyValues(Path file) {
        Map<String, Long> out = new LinkedHashMap<>();
        read(file).ifPresent(s -> {
            for (String line : s.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 2) {
                    try {
                        out.put(f[0], Long.parseUnsignedLong(f[1]));
                    } catch (NumberFormatException ignored) {
                        // non-numeric
                    }
                }
            }
        });
        return out;
    }

    /** Lines of a file, or none. */
    public static List<String> readLines(Path file) {
        return read(file).map(s -> s.isEmpty() ? List.<String>of() : List.of(s.split("\n"))).orElse(List.of());
    }

    /**
     * How many times the kernel OOM-killed a process in this cgroup: v1 {@code memory.oom_control}
     * {@code oom_kill}, v2 {@code memory.events} {@code oom_kill}; 0 if unknown.
     */
    public long oomKills(String cgroupsPath) {
        long n = v1Dir("memory", cgroupsPath).map(d -> readKeyValues(d.resolve("memory.oom_control")).getOrDefault("oom_kill", 0L)).orElse(0L);
        if (n == 0) {
            n = v2Dir(cgroupsPath).map(d -> readKeyValues(d.resolve("memory.events")).getOrDefault("oom_kill", 0L)).orElse(0L);
        }
        return n;
    }

    /**
     * Removes the cgroup in every hierarchy (children first). A directory still holding
     * processes cannot be removed; those are returned so the caller can report a leak.
     */
    public List<Path> remove(String cgroupsPath) {
        List<Path> left = new ArrayList<>();
        for (Path dir : allDirs(cgroupsPath)) {
            removeTree(dir, left);
        }
        return left;
    }

    private static void removeTree(Path dir, List<Path> left) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path c : s.filter(p -> Files.isDirectory(p) && !Files.isSymbolicLink(p)).toList()) {
                removeTree(c, left);
            }
        } catch (IOException e) {
            // fall through to rmdir
        }
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                // cgroupfs directories are removed with rmdir even though they list files
                Files.delete(dir);
                return;
            } catch (NoSuchFileException e) {
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(20); // EBUSY while the last task is being reaped
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        left.add(dir);
    }
}
