package dev.berth.sys.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemProcessLauncherTest {
    private final ProcessLauncher launcher = ProcessLauncher.system();

    @Test
    void runsInTheDirectoryWithTheExtraEnvironmentAndKeepsTheFirstBytesOfEachStream(@TempDir Path dir) throws Exception {
        CommandResult r = launcher.run(List.of("sh", "-c", "echo \"$PWD $BERTH_T\"; printf 0123456789 >&2; exit 3"),
                Map.of("BERTH_T", "x"), dir, Duration.ofSeconds(10), 4);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo(dir.toRealPath().toString().substring(0, 4));
        assertThat(r.stderr()).isEqualTo("0123");
    }

    @Test
    void atTheTimeoutTheProcessAndWhatItStartedAreKilled() throws Exception {
        long t0 = System.nanoTime();
        // the child keeps the output pipes open: without killing it too, reading them would wait 30 s
        CommandResult r = launcher.run(List.of("sh", "-c", "sleep 30 & wait"), Duration.ofMillis(300));
        assertThat(r.exitCode()).isEqualTo(-1);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }
}
