package dev.berth.sys.fs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileOpsTest {
    @Test
    void makedevMatchesGlibc() {
        assertThat(FileOps.makedev(0, 0)).isZero();
        assertThat(FileOps.makedev(1, 3)).isEqualTo(0x103L);
        assertThat(FileOps.makedev(8, 0x12345)).isEqualTo(0x12300845L);
    }
}
