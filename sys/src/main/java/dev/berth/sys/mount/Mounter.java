package dev.berth.sys.mount;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Performs mounts described as data. Higher modules (snapshotters, the runtime) build the
 * list of mounts; only this interface touches the kernel. Implementations are thread-safe.
 */
public interface Mounter {
    /**
     * Mounts {@code type} from {@code source} on {@code target} with fstab-style
     * {@code options} (flags such as {@code ro}, {@code rbind}, {@code nosuid} are translated to
     * mount flags; the rest is passed as data, e.g. overlay's {@code lowerdir=…}).
     */
    void mount(String type, String source, Path target, List<String> options) throws IOException;

    /** Unmounts {@code target}; lazily (MNT_DETACH) if {@code detach}. Not mounted is not an error. */
    void unmount(Path target, boolean detach) throws IOException;

    /** True if {@code target} is a mount point right now. */
    boolean isMounted(Path target) throws IOException;
}
