package dev.berth.builder.context;

/**
 * One file, directory or symlink of a build context.
 *
 * @param path slash-separated path relative to the context root, no leading or trailing slash
 * @param type the entry type
 * @param size size in bytes (files only)
 * @param mode permission bits plus setuid/setgid/sticky ({@code 07777})
 * @param uid owner user id as recorded in the context
 * @param gid owner group id as recorded in the context
 * @param linkTarget the symlink target, or null
 * @param mtimeMillis modification time in milliseconds since the epoch
 */
public record ContextEntry(String path, Type type, long size, int mode, int uid, int gid, String linkTarget,
                           long mtimeMillis) {
    public enum Type { FILE, DIRECTORY, SYMLINK }

    public boolean isDirectory() {
        return type == Type.DIRECTORY;
    }

    /** True when {@code other} is this entry or lies below it (this being a directory). */
    public boolean contains(String other) {
        return path.isEmpty() || other.equals(path) || other.startsWith(path + "/");
    }
}
