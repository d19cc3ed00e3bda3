package dev.berth.daemon.container;

import java.util.List;

/**
 * A mount decided at create time from {@code Binds}, {@code Mounts}, {@code Tmpfs} and the image's
 * {@code Volumes}; turned into OCI mounts at every start.
 *
 * @param type "bind", "volume" or "tmpfs"
 * @param source host path (bind), volume name (volume) or "" (tmpfs)
 * @param destination absolute path in the container
 * @param mode the mode text shown by inspect ("", "ro", "rw", "z" …)
 * @param propagation bind propagation ("rprivate" default for binds), "" otherwise
 * @param anonymous a volume Berth created for this container (removed with {@code rm -v})
 * @param noCopy do not seed the volume from the image
 * @param options extra mount options (tmpfs size/mode, bind "ro")
 */
public record PlannedMount(
        String type,
        String source,
        String destination,
        boolean rw,
        String mode,
        String propagation,
        boolean anonymous,
        boolean noCopy,
        String driver,
        List<String> options) {

    public PlannedMount {
        options = options == null ? List.of() : List.copyOf(options);
        mode = mode == null ? "" : mode;
        propagation = propagation == null ? "" : propagation;
    }

    public boolean isVolume() {
        return "volume".equals(type);
    }
}
