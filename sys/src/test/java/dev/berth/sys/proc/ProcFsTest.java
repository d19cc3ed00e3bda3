package dev.berth.sys.proc;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ProcFsTest {
    @Test
    void readsCapsLimitsAndCpu(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("self/status"), "Name:\tx\nCapBnd:\t000001fffeffffff\n");
        Files.writeString(proc.resolve("self/limits"), """
                Limit                     Soft Limit           Hard Limit           Units
                Max core file size        0                    unlimited            bytes
                Max open files            20000                20000                files
                """);
        Files.writeString(proc.resolve("stat"), "cpu  100 0 50 1000 0 0 0 0 0 0\ncpu0 50 0 25 500 0 0 0 0 0 0\ncpu1 50 0 25 500 0 0 0 0 0 0\n");
        ProcFs p = new ProcFs(proc);
        assertThat(p.capBounding()).isEqualTo(0x1fffeffffffL);
        assertThat(p.rlimits()).containsKeys("RLIMIT_CORE", "RLIMIT_NOFILE");
        assertThat(p.rlimits().get("RLIMIT_CORE")).isEqualTo(new ProcFs.Rlimit("RLIMIT_CORE", 0, -1));
        assertThat(p.systemCpuNanos()).isEqualTo(1150L * 10_000_000L);
        assertThat(p.onlineCpus()).isEqualTo(2);
        assertThat(p.alive(ProcessHandle.current().pid() > 0 ? -1 : 0)).isFalse();
    }

    @Test
    void propagationOfTheMountHoldingAPath(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("self/mountinfo"), """
                22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
                40 22 0:38 / /srv rw,relatime master:7 - tmpfs tmpfs rw
                41 40 0:39 / /srv/data rw,relatime shared:9 master:7 - tmpfs tmpfs rw
                42 22 0:40 / /priv rw - tmpfs tmpfs rw
                """);
        ProcFs p = new ProcFs(proc);
        assertThat(p.propagationOf(Path.of("/home/x"))).contains(new ProcFs.MountPropagation("/", true, false));
        assertThat(p.propagationOf(Path.of("/srv/other"))).contains(new ProcFs.MountPropagation("/srv", false, true));
        assertThat(p.propagationOf(Path.of("/srv/data/x"))).contains(new ProcFs.MountPropagation("/srv/data", true, true));
        assertThat(p.propagationOf(Path.of("/srv/database"))).contains(new ProcFs.MountPropagation("/srv", false, true));
        assertThat(p.propagationOf(Path.of("/priv"))).contains(new ProcFs.MountPropagation("/priv", false, false));
    }
}
