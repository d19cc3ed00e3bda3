package dev.berth.daemon.files;

import dev.berth.common.BerthException;
import dev.berth.image.fs.ContainerFs;
import java.nio.charset.StandardCharsets;

/**
 * The uid/gid {@code docker cp -a} gives copied files: the container's {@code User}
 * ({@code name|uid[:group|gid]}) looked up in the container's own {@code /etc/passwd} and
 * {@code /etc/group}; null when the container has no user (the archive's ids are kept, as Docker
 * does). Pure apart from reading those files through the container's resolver.
 */
final class Owners {
    private static final int MAX = 1 << 20;

    private Owners() {}

    static int[] resolve(ContainerFs fs, String user) {
        if (user == null || user.isEmpty()) {
            return null;
        }
        String u = user;
        String g = null;
        int colon = user.indexOf(':');
        if (colon >= 0) {
            u = user.substring(0, colon);
            g = user.substring(colon + 1);
        }
        String passwd = fs.readSmallFile("/etc/passwd", MAX).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
        Integer uid = null;
        Integer gid = null;
        if (isNumber(u)) {
            uid = Integer.parseInt(u);
        }
        for (String line : passwd.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length < 4 || !isNumber(f[2]) || !isNumber(f[3])) {
                continue;
            }
            if (f[0].equals(u) || (uid != null && Integer.parseInt(f[2]) == uid)) {
                uid = Integer.parseInt(f[2]);
                gid = Integer.parseInt(f[3]);
                break;
            }
        }
        if (uid == null) {
            throw BerthException.invalid("unable to find user %s: no matching entries in passwd file", u);
        }
        if (g != null && !g.isEmpty()) {
            if (isNumber(g)) {
                gid = Integer.parseInt(g);
            } else {
                String group = fs.readSmallFile("/etc/group", MAX).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
                gid = null;
                for (String line : group.split("\n")) {
                    String[] f = line.split(":", -1);
                    if (f.length >= 3 && f[0].equals(g) && isNumber(f[2])) {
                        gid = Integer.parseInt(f[2]);
                        break;
                    }
                }
                if (gid == null) {
                    throw BerthException.invalid("unable to find group %s: no matching entries in group file", g);
                }
            }
        }
        return new int[] {uid, gid == null ? 0 : gid}; // runc: a numeric user without an entry gets group 0
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.length() < 10 && s.chars().allMatch(Character::isDigit);
    }
}
