package dev.berth.sys.mount;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LinuxMounterTest {
    @Test
    void splitsFlagsPropagationAndData() {
        LinuxMounter.Parsed p = LinuxMounter.parse(List.of("ro", "nosuid", "rbind", "rprivate", "lowerdir=/a:/b", "rw"));
        assertThat(p.flags()).isEqualTo(1 | 2 | 4096 | 16384);
        assertThat(p.propagation()).isEqualTo((1L << 18) | 16384);
        assertThat(p.data()).isEqualTo("lowerdir=/a:/b");
        assertThat(LinuxMounter.parse(List.of("defaults")).data()).isNull();
    }
}
