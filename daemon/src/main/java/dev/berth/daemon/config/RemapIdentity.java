package dev.berth.daemon.config;

import dev.berth.common.BerthException;
import dev.berth.sys.proc.CommandResult;
import dev.berth.sys.proc.ProcessLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The host identity behind {@code --userns-remap}, checked at daemon start as dockerd does:
 * {@code default} means the {@code dockremap} user, made (a system user without a shell) with
 * 65536 subordinate uids and gids in {@code /etc/subuid} and {@code /etc/subgid} if it has none;
 * a named {@code user[:group]} must already have ranges, or the daemon does not start.
 * Stateless; run once at start-up.
 */
public final class RemapIdentity {
    static final String DEFAULT_USER = "dockremap";
    static final long FIRST_ID = 100000;
    static final long RANGE = 65536;

    private RemapIdentity() {}

    /**
     * Makes sure the remapped user (and group) have subordinate ranges.
     *
     * @param etc the directory holding passwd, subuid, subgid ({@code /etc} on a real host)
     */
    public static void prepare(String remap, Path etc, ProcessLauncher launcher) {
        if (remap == null || remap.isEmpty()) {
            return;
        }
        String[] parts = remap.split(":", 2);
        boolean dflt = remap.equals("default");
        String user = dflt ? DEFAULT_USER : parts[0];
        String group = dflt ? DEFAULT_USER : parts.length > 1 ? parts[1] : user;
        try {
            if (dflt) {
                if (!hasEntry(etc.resolve("passwd"), user)) {
                    CommandResult r = launcher.run(List.of("useradd", "--system", "--shell", "/bin/false", "--no-create-home", user),
                            Duration.ofSeconds(30));
                    if (!r.ok()) {
                        throw BerthException.unavailable("userns-remap: cannot create the %s user: %s", user, r.stderr().strip());
                    }
                }
                addRangeIfMissing(etc.resolve("subuid"), user);
                addRangeIfMissing(etc.resolve("subgid"), group);
            }
            if (!hasEntry(etc.resolve("subuid"), user)) {
                throw BerthException.unavailable("Can't create ID mappings: No subuid ranges found for user \"%s\"", user);
            }
            if (!hasEntry(etc.resolve("subgid"), group)) {
                throw BerthException.unavailable("Can't create ID mappings: No subgid ranges found for group \"%s\"", group);
            }
        } catch (IOException e) {
            throw BerthException.internal("userns-remap: " + e.getMessage(), e);
        }
    }

    /**
     * dockerd's start-up check: every directory above the data root (and the exec root) must let
     * others pass ({@code o+x}), or the remapped root could not reach its containers' files.
     */
    public static void checkTraversable(Path dataRoot, Path execRoot) {
        for (Path root : List.of(dataRoot, execRoot)) {
            for (Path dir = root.toAbsolutePath().getParent(); dir != null && dir.getParent() != null; dir = dir.getParent()) {
                try {
                    if (!Files.getPosixFilePermissions(dir).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                        throw BerthException.unavailable("a subdirectory in your graphroot path (%s) restricts access to the remapped root "
                                + "uid/gid; please fix by allowing 'o+x' permissions on existing directories", root);
                    }
                } catch (IOException e) {
                    throw BerthException.internal("userns-remap: cannot check " + dir + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private static boolean hasEntry(Path file, String name) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(name + ":")) {
                return true;
            }
        }
        return false;
    }

    /** Appends {@code name:<first free id>:65536}, after every range already given out, atomically. */
    static void addRangeIfMissing(Path file, String name) throws IOException {
        List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file)) : new ArrayList<>();
        long next = FIRST_ID;
        for (String line : lines) {
            String[] p = line.strip().split(":");
            if (p.length == 3 && p[0].equals(name)) {
                return;
            }
            if (p.length == 3) {
                try {
                    next = Math.max(next, Long.parseLong(p[1]) + Long.parseLong(p[2]));
                } catch (NumberFormatException ignored) {
                    // not a range: left as it is
                }
            }
        }
        lines.add(name + ":" + next + ":" + RANGE);
        Path tmp = file.resolveSibling("." + file.getFileName() + ".berth-tmp");
        Files.write(tmp, lines);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
