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
}
