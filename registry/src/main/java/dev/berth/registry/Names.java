package dev.berth.registry;

import java.util.regex.Pattern;

/** Repository name and tag validation per the distribution spec. Pure utility. */
final class Names {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    private Names() {}

    static String checkName(String name) {
        if (name == null || name.length() > 255 || !NAME.matcher(name).matches()) {
            throw new RegistryError(ErrorCode.NAME_INVALID, name);
        }
        return name;
    }

    static boolean isTag(String s) {
        return TAG.matcher(s).matches();
    }
}
