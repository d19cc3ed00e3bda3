package dev.berth.sys.mount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.sys.proc.ProcFs;
import dev.berth.sys.proc.ProcessLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Needs root and a kernel with idmapped mounts (5.12+) and overlayfs over them (5.19+). */
class LinuxIdmapMounterIT {
    @TempDir
    Path dir;

    @Test
    void ownersAreShiftedAndOverlayStacksOnTop() throws Exception {
        Path lower = Files.createDirectories(dir.resolve("lower/etc"));
        Files.writeString(lower.resolve("passwd"), "root:x:0:0\n");
        Path mapped = Files.createDirectories(dir.resolve("mapped"));
        LinuxMounter mounter = new LinuxMounter(ProcFs.host());
        List<IdmapMounter.Range> map = List.of(new IdmapMounter.Range(0, 200000, 65536));
        new LinuxIdmapMounter(ProcessLauncher.system()).mountIdmapped(dir.resolve("lower"), mapped, map, map);
        try {
            assertThat(Files.getAttribute(mapped.resolve("etc/passwd"), "unix:uid")).isEqualTo(200000);
            assertThat(Files.getAttribute(dir.resolve("lower/etc/passwd"), "unix:uid")).isEqualTo(0);
            Path upper = Files.createDirectories(dir.resolve("upper"));
            Path work = Files.createDirectories(dir.resolve("work"));
            Path merged = Files.createDirectories(dir.resolve("merged"));
            mounter.mount("overlay", "overlay", merged, List.of("lowerdir=" + mapped, "upperdir=" + upper, "workdir=" + work));
            try {
                assertThat(Files.getAttribute(merged.resolve("etc"), "unix:uid")).isEqualTo(200000);
                assertThat(Files.readString(merged.resolve("etc/passwd"))).isEqualTo("root:x:0:0\n");
            } finally {
                mounter.unmount(merged, false);
            }
        } finally {
            mounter.unmount(mapped, false);
        }
        assertThat(mounter.isMounted(mapped)).isFalse();
    }
}
