package dev.berth.image.fs;

import java.nio.file.Path;

/**
 * One mount as the container sees it: {@code destination} is an absolute, clean container path;
 * {@code source} is the host directory shown there, or null when the root already shows it (the
 * root is {@code /proc/<pid>/root} of a running container, whose mount namespace does the
 * crossing). {@code readOnly} decides whether {@code docker cp} may write below it.
 */
public record MountMapping(String destination, Path source, boolean readOnly) {
    public MountMapping {
        if (!destination.startsWith("/")) {
            throw new IllegalArgumentException("mount destination must be absolute: " + destination);
        }
        destination = ContainerPaths.clean(destination);
    }
}
