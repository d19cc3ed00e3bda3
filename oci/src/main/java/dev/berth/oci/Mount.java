package dev.berth.oci;

import java.util.List;

/**
 * A mount described as data (as containerd's {@code mount.Mount} and the OCI runtime spec's
 * mount entry): snapshotters return these, the runtime spec carries them, and only {@code sys}
 * performs them.
 *
 * @param type filesystem type, e.g. {@code overlay}, {@code bind}, {@code tmpfs}
 * @param source device or path, e.g. {@code overlay} or a host directory
 * @param destination the path inside the container (null for a root filesystem mount)
 * @param options mount options, e.g. {@code lowerdir=…}, {@code ro}, {@code rbind}
 */
public record Mount(String type, String source, String destination, List<String> options) {
    public Mount {
        options = List.copyOf(options);
    }
}
