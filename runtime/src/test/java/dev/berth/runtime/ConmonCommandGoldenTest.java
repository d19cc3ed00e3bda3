package dev.berth.runtime;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConmonCommandGoldenTest {
    @Test
    void interactiveTtyContainer() throws Exception {
        ConmonCommand c = new ConmonCommand(Path.of("/usr/bin/conmon"), Path.of("/usr/sbin/runc"), Path.of("/run/berth/rt/state"), "btrt-abc",
                "btrt-abc", Path.of("/run/berth/rt/containers/btrt-abc"), Path.of("/run/berth/rt/exits"), Path.of("/run/berth/rt/socks"),
                Path.of("/var/lib/berth/containers/btrt-abc/btrt-abc-json.log"), 10_485_760, true, true, true);
        Fixtures.assertGolden("conmon-argv-tty-stdin.json", c.argv());
    }

    @Test
    void detachedContainerKeepsStdinOpenOnlyWhenAsked() throws Exception {
        ConmonCommand c = new ConmonCommand(Path.of("/usr/bin/conmon"), Path.of("/usr/bin/crun"), Path.of("/run/berth/rt/state"), "btrt-d",
                "btrt-d", Path.of("/run/berth/rt/containers/btrt-d"), Path.of("/run/berth/rt/exits"), Path.of("/run/berth/rt/socks"),
                Path.of("/var/lib/berth/containers/btrt-d/log"), 0, false, true, false);
        Fixtures.assertGolden("conmon-argv-detached.json", c.argv());
        assertThat(c.argv()).contains("--leave-stdin-open").doesNotContain("-t");
    }
}
