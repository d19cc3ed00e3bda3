package dev.berth.volume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.sys.mount.LinuxMounter;
import dev.berth.sys.proc.ProcFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Needs root: mounts a tmpfs volume through the real kernel and unmounts it at last release. */
class SysVolumeMounterIT {
    @TempDir
    Path dataRoot;

    @Test
    void tmpfsVolumeIsMountedWhileAcquired() throws Exception {
        LinuxMounter mounter = new LinuxMounter(ProcFs.host());
        var svc = new LocalVolumeService(dataRoot, new SysVolumeMounter(mounter));
        svc.create("btvol-tmpfs", null, Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=1m,mode=0755"), null);
        Path p = svc.acquire("btvol-tmpfs");
        try {
            assertThat(mounter.isMounted(p)).isTrue();
            Files.writeString(p.resolve("f"), "x");
            svc.acquire("btvol-tmpfs");
            svc.release("btvol-tmpfs");
            assertThat(mounter.isMounted(p)).isTrue();
        } finally {
            svc.release("btvol-tmpfs");
        }
        assertThat(mounter.isMounted(p)).isFalse();
        assertThat(Files.exists(p.resolve("f"))).isFalse();
        svc.remove("btvol-tmpfs");
    }
}
