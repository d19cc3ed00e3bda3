package dev.berth.runtime;

import dev.berth.sys.proc.ProcessLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RuntimeDetectorIT {
    @Test
    void probesRuntimesAndPrefersAWorkingOne() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runc")) && Files.isExecutable(Path.of("/bin/busybox")));
        Path work = Files.createTempDirectory("btrt-detect");
        RuntimeDetector d = new RuntimeDetector(ProcessLauncher.system(), work, Path.of("/bin/busybox"));
        assertThat(d.probe(Path.of("/usr/sbin/runc"))).isTrue();
        Map<String, Path> candidates = new LinkedHashMap<>();
        candidates.put("crun", Path.of("/usr/bin/crun"));
        candidates.put("runc", Path.of("/usr/sbin/runc"));
        Optional<RuntimeDetector.Choice> choice = d.choose(candidates);
        assertThat(choice).isPresent();
        // on hybrid cgroup hosts crun works only through the wrapper (which the detector and driver use)
        boolean crunWorks = Files.isExecutable(Path.of("/usr/bin/crun"))
                && d.probe(CrunHybridCgroups.wrap(Path.of("/usr/bin/crun"), "crun", work));
        assertThat(choice.get().name()).isEqualTo(crunWorks ? "crun" : "runc");
        Files.deleteIfExists(work.resolve(CrunHybridCgroups.WRAPPER_NAME));
        try (var s = Files.list(work)) {
            assertThat(s).isEmpty();
        }
        Files.delete(work);
    }
}
