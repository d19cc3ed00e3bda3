package dev.berth.builder.exec;

import dev.berth.common.BerthException;

/**
 * Resolves a {@code --chown=user[:group]} value to numeric ids, as the classic builder does:
 * numbers are taken as they are; names are looked up in the parent image's {@code /etc/passwd}
 * and {@code /etc/group}; a user without a group gets the group id equal to the user id. A
 * helper for {@link BuildWorker#copy} implementations. Pure.
 */
public final class Chown {
    private Chown() {}

    /** Numeric owner. */
    public record Owner(int uid, int gid) {}

    /**
     * @param spec the expanded {@code --chown} value
     * @param passwd the content of the image's /etc/passwd, or null when absent
     * @param group the content of the image's /etc/group, or null when absent
     */
    public static Owner resolve(String spec, String passwd, String group) {
        String[] parts = spec.split(":", 2);
        String user = parts[0];
        String grp = parts.length > 1 ? parts[1] : null;
        if (user.isEmpty()) {
            throw BerthException.invalid("invalid chown string: %s", spec);
        }
        int uid = isNumber(user) ? Integer.parseInt(user) : lookup(user, passwd, "user", "passwd");
        int gid;
        if (grp == null || grp.isEmpty()) {
            gid = uid;
        } else {
            gid = isNumber(grp) ? Integer.parseInt(grp) : lookup(grp, group, "group", "group");
        }
        return new Owner(uid, gid);
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.length() < 10 && s.chars().allMatch(Character::isDigit);
    }

    /** Finds the id (third field) of the entry with this name in a passwd/group file. */
    private static int lookup(String name, String file, String kind, String fileKind) {
        if (file != null) {
            for (String line : file.split("\n")) {
                String[] f = line.split(":", -1);
                if (f.length >= 3 && f[0].equals(name) && isNumber(f[2].strip())) {
                    return Integer.parseInt(f[2].strip());
                }
            }
        }
        throw BerthException.invalid("unable to find %s %s: no matching entries in %s file", kind, name, fileKind);
    }
}
