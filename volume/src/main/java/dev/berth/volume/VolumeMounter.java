package dev.berth.volume;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.nio.file.Path;

/**
 * The kernel side of local volumes with driver options ({@code type}, {@code device}, {@code o}):
 * mounting the device on the volume's {@code _data} directory at first use and unmounting it at
 * last release. The volume module only describes the mount; the composition root supplies an
 * implementation backed by {@code dev.berth.sys}. Implementations must be thread-safe.
 */
public interface VolumeMounter {
    /** Mounts {@code device} of file system {@code type} with comma-separated {@code options} on {@code target}. */
    void mount(String device, String type, String options, Path target);

    /** Unmounts {@code target}; not mounted is not an error. */
    void unmount(Path target);

    /** A mounter for hosts where the daemon has none wired: every mount is NOT_IMPLEMENTED. */
    VolumeMounter UNSUPPORTED = new VolumeMounter() {
        @Override
        public void mount(String device, String type, String options, Path target) {
            throw new BerthException(ErrorKind.NOT_IMPLEMENTED,
                    "local volumes with driver options (type/device/o) are not supported by this daemon yet: "
                            + "no mount helper is configured; use a volume without options or a bind mount");
        }

        @Override
        public void unmount(Path target) {
            // nothing can have been mounted
        }
    };
}
