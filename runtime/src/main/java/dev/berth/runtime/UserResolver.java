package dev.berth.runtime;

import dev.berth.common.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Resolves a Docker user spec ({@code name}, {@code uid}, {@code uid:gid}, {@code name:group},
 * empty for root) against the container's {@code /etc/passwd} and {@code /etc/group}, as moby's
 * {@code user.GetExecUser} does: numeric ids need no entry, names must exist, supplementary
 * groups come from group membership plus {@code --group-add}. Symlinks in the rootfs are
 * resolved inside the rootfs. Pure utility.
 */
public final class UserResolver {
    /** A resolved user: ids, supplementary gids (sorted as found) and home directory. */
    public record ExecUser(long uid, long gid, List<Long> additionalGids, String home) {}

    private record PasswdEntry(String name, long uid, long gid, String home) {}

    private record GroupEntry(String name, long gid, List<String> members) {}

    private UserResolver() {}

    public static ExecUser resolve(Path rootfs, String userSpec, List<String> groupAdd) {
        String spec = userSpec == null ? "" : userSpec.trim();
        String userPart = spec;
        String groupPart = null;
        int colon = spec.indexOf(':');
        if (colon >= 0) {
            userPart = spec.substring(0, colon);
            groupPart = spec.substring(colon + 1);
        }
        List<PasswdEntry> passwd = readPasswd(rootfs);
        List<GroupEntry> groups = readGroups(rootfs);

        long uid = 0;
        long gid = 0;
        String home = "/";
        String name = null;
        if (userPart.isEmpty()) {
            userPart = "0";
        }
        if (isNumeric(userPart)) {
            uid = Long.parseLong(userPart);
            final long u = uid;
            PasswdEntry e = passwd.stream().filter(p -> p.uid() == u).findFirst().orElse(null);
            if (e != null) {
                gid = e.gid();
                home = e.home();
                name = e.name();
            }
        } else {
            final String n = userPart;
            PasswdEntry e = passwd.stream().filter(p -> p.name().equals(n)).findFirst()
                    .orElseThrow(() -> BerthException.invalid("unable to find user %s: no matching entries in passwd file", n));
            uid = e.uid();
            gid = e.gid();
            home = e.home();
            name = e.name();
        }
        if (groupPart != null && !groupPart.isEmpty()) {
            gid = groupId(groupPart, groups);
        }
        Set<Long> extra = new LinkedHashSet<>();
        if (name != null && (groupPart == null || groupPart.isEmpty())) {
            // like moby: supplementary groups from /etc/group only when no explicit group was given
            for (GroupEntry g : groups) {
                if (g.members().contains(name) && g.gid() != gid) {
                    extra.add(g.gid());
                }
            }
        }
        if (groupAdd != null) {
            for (String g : groupAdd) {
                extra.add(groupId(g, groups));
            }
        }
        return new ExecUser(uid, gid, List.copyOf(extra), home);
    }

    private static long groupId(String group, List<GroupEntry> groups) {
        if (isNumeric(group)) {
            return Long.parseLong(group);
        }
        return groups.stream().filter(g -> g.name().equals(group)).findFirst()
                .orElseThrow(() -> BerthException.invalid("unable to find group %s: no matching entries in group file", group))
                .gid();
    }

    private static boolean isNumeric(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    private static List<PasswdEntry> readPasswd(Path rootfs) {
        List<PasswdEntry> out = new ArrayList<>();
        for (String line : readInRoot(rootfs, "/etc/passwd")) {
            String[] f = line.split(":", -1);
            if (f.length >= 7 && isNumeric(f[2]) && isNumeric(f[3])) {
                out.add(new PasswdEntry(f[0], Long.parseLong(f[2]), Long.parseLong(f[3]), f[5].isEmpty() ? "/" : f[5]));
            }
        }
        return out;
    }

    private static List<GroupEntry> readGroups(Path rootfs) {
        List<GroupEntry> out = new ArrayList<>();
        for (String line : readInRoot(rootfs, "/etc/group")) {
            String[] f = line.split(":", -1);
            if (f.length >= 4 && isNumeric(f[2])) {
                out.add(new GroupEntry(f[0], Long.parseLong(f[2]), f[3].isEmpty() ? List.of() : List.of(f[3].split(","))));
            }
        }
        return out;
    }

    /** Lines of {@code path} inside {@code rootfs}, following symlinks without leaving the root; none if missing. */
    static List<String> readInRoot(Path rootfs, String path) {
        Path p = resolveInRoot(rootfs, path);
        if (p == null || !Files.isRegularFile(p)) {
            return List.of();
        }
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static Path resolveInRoot(Path rootfs, String path) {
        String current = path;
        for (int hops = 0; hops < 16; hops++) {
            Path p = rootfs;
            for (String part : current.split("/")) {
                if (part.isEmpty() || part.equals(".")) {
                    continue;
                }
                if (part.equals("..")) {
                    p = p.equals(rootfs) ? rootfs : p.getParent();
                    continue;
                }
                p = p.resolve(part);
            }
            if (!Files.isSymbolicLink(p)) {
                return p;
            }
            try {
                String target = Files.readSymbolicLink(p).toString();
                current = target.startsWith("/") ? target
                        : "/" + rootfs.relativize(p.getParent()) + "/" + target;
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }
}
