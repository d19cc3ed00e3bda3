package dev.berth.runtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CrunMessagesTest {
    @Test
    void crunErrorsAreWordedLikeRuncForTheDockerCliExitCodes() {
        assertThat(ConmonRuntimeDriver.goStyle("executable file `/nonexistent` not found in $PATH: No such file or directory"))
                .isEqualTo("exec: \"/nonexistent\": stat /nonexistent: no such file or directory");
        assertThat(ConmonRuntimeDriver.goStyle("executable file `nosuch` not found in $PATH: No such file or directory"))
                .isEqualTo("exec: \"nosuch\": executable file not found in $PATH");
        assertThat(ConmonRuntimeDriver.goStyle("open executable: Permission denied")).isEqualTo("open executable: permission denied");
        assertThat(ConmonRuntimeDriver.goStyle("something else")).isEqualTo("something else");
    }

    @Test
    void wrapperHidesTheUnifiedHierarchyOnlyInItsOwnNamespace() {
        String s = CrunHybridCgroups.script(java.nio.file.Path.of("/usr/bin/crun"), true);
        assertThat(s).startsWith("#!/bin/sh\n")
                .contains("exec unshare --mount --propagation unchanged /bin/busybox sh -c "
                        + "'mount --make-private /sys/fs/cgroup/unified 2>/dev/null && umount -l /sys/fs/cgroup/unified")
                .endsWith("'/usr/bin/crun' \"$@\"\n");
    }
}
