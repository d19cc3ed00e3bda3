package dev.berth.daemon.config;

import dev.berth.api.model.HostConfig;
import dev.berth.common.BerthException;
import dev.berth.oci.tar.IdMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which {@link IdMapping} a container's files have under {@code --userns-remap}: the first
 * {@code /etc/subuid} and {@code /etc/subgid} range of the remapped user (group) with container id 0
 * at its start, as the container is started with; {@link IdMapping#IDENTITY} for an unremapped
 * daemon and for containers run with {@code --userns=host} or {@code --privileged}. Archive code
 * (docker cp, export, commit) asks here so that ids cross the boundary the way the container sees
 * them. Reads the sub-id files on each call for a remapped daemon (they are tiny; an unremapped
 * daemon reads nothing). Immutable and thread-safe.
 */
public final class RemapMappings {
    /** An unremapped daemon: every container gets the identity. */
    public static final RemapMappings NONE = new RemapMappings("", Path.of("/etc"));

    private final String remap;
    private final Path etc;

    /**
     * @param usernsRemap the daemon's {@code --userns-remap} value ("" or null: none)
     * @param etc         the directory holding {@code subuid} and {@code subgid} ({@code /etc} on a real host)
     */
    public RemapMappings(String usernsRemap, Path etc) {
        this.remap = usernsRemap == null ? "" : usernsRemap;
        this.etc = etc;
    }

    public static RemapMappings of(DaemonConfig config) {
        return new RemapMappings(config.usernsRemap(), Path.of("/etc"));
    }

    /** True when the daemon remaps containers at all. */
    public boolean enabled() {
        return !remap.isEmpty();
    }

    /** The mapping of a container with {@code hostConfig} (null: the daemon's default). */
    public IdMapping forContainer(HostConfig hostConfig) {
        boolean host = hostConfig != null && ("host".equals(hostConfig.usernsMode()) || hostConfig.privileged());
        if (!enabled() || host) {
            return IdMapping.IDENTITY;
        }
        String[] parts = remap.split(":", 2);
        String user = remap.equals("default") ? "dockremap" : parts[0];
        String group = remap.equals("default") ? "dockremap" : parts.length > 1 ? parts[1] : user;
        return new IdMapping(java.util.List.of(first(etc.resolve("subuid"), user)), java.util.List.of(first(etc.resolve("subgid"), group)));
    }

    /** The user's first range, as the container runtime gets it (ContainerLifecycle via SpecAssembler.subIds). */
    private static IdMapping.Range first(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] p = line.trim().split(":");
                if (p.length == 3 && p[0].equals(name)) {
                    return new IdMapping.Range(0, Long.parseLong(p[1]), Long.parseLong(p[2]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw BerthException.invalid("cannot read %s for user namespace remapping: %s", file, e.getMessage());
        }
        throw BerthException.invalid("no subordinate ids for user %s in %s (userns-remap)", name, file);
    }
}
