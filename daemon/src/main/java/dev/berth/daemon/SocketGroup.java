package dev.berth.daemon;

import dev.berth.common.BerthException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.function.Consumer;

/**
 * The group of berthd's unix sockets (dockerd's {@code --group}): a name from the group database
 * or a numeric gid. The sockets themselves are created mode 0660 by the HTTP server; this only
 * hands them to the group. As in dockerd, a missing group is an error when it was configured, and
 * only a warning for the default "docker" group (the socket then stays root's). Stateless.
 */
final class SocketGroup {
    private SocketGroup() {}

    /**
     * Looks the group up before anything listens, so a bad {@code --group} fails start-up cleanly.
     *
     * @return the group, or null to leave the sockets' group alone ("" or a missing default group)
     */
    static GroupPrincipal resolve(String group, boolean explicit, String defaultGroup, Consumer<String> warn, String firstSocket) {
        if (group == null || group.isEmpty()) {
            return null;
        }
        try {
            // The JDK's lookup falls back to a numeric gid when no group has that name, like dockerd's lookupGID.
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
        } catch (UserPrincipalNotFoundException e) {
            if (explicit && !group.equals(defaultGroup)) {
                throw BerthException.invalid("group %s not found", group);
            }
            warn.accept("could not change group " + firstSocket + " to " + group + ": group " + group + " not found");
            return null;
        } catch (IOException e) {
            throw BerthException.invalid("cannot look up group %s: %s", group, e.getMessage());
        }
    }

    /** Gives an existing socket to the group (its mode, 0660, is set by the server). */
    static void apply(Path socket, GroupPrincipal group) {
        if (group == null) {
            return;
        }
        try {
            Files.getFileAttributeView(socket, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(group);
        } catch (IOException e) {
            throw BerthException.internal("can't create unix socket " + socket + ": chown: " + e.getMessage(), e);
        }
    }
}
