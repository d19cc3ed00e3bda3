package dev.berth.volume;

import dev.berth.common.BerthException;
import dev.berth.sys.mount.Mounter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@link VolumeMounter} over the kernel {@link Mounter} from {@code sys}: the local driver's
 * {@code o} option is split on commas into mount options, as {@code mount -o} does. A device that
 * is already mounted on the target (daemon restart) is adopted, not mounted twice. Thread-safe.
 */
public final class SysVolumeMounter implements VolumeMounter {
    private final Mounter mounter;

    public SysVolumeMounter(Mounter mounter) {
        this.mounter = mounter;
    }

    @Override
    public void mount(String device, String type, String options, Path target) {
        List<String> opts = options == null || options.isBlank() ? List.of()
                : Arrays.stream(options.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        try {
            if (mounter.isMounted(target)) {
                return;
            }
            mounter.mount(type, device, target, opts);
        } catch (IOException e) {
            throw BerthException.internal("error while mounting volume '" + target + "': failed to mount local volume: mount "
                    + device + ":" + target + ", flags: " + String.join(",", opts) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void unmount(Path target) {
        try {
            mounter.unmount(target, false);
        } catch (IOException e) {
            try {
                mounter.unmount(target, true);
            } catch (IOException e2) {
                throw BerthException.internal("unmount volume " + target + ": " + e2.getMessage(), e2);
            }
        }
    }
}
