package dev.berth.sys.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Needs root: creates a whiteout device and sets a trusted.* xattr. */
class LinuxFileOpsIT {
    private final FileOps ops = FileOps.linux();

    @Test
    void createsWhiteoutDevice(@TempDir Path dir) throws IOException {
        Path wh = dir.resolve("gone");
        ops.mknod(wh, FileOps.S_IFCHR, 0, 0);
        assertThat((Integer) Files.getAttribute(wh, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000)
                .isEqualTo(FileOps.S_IFCHR);
        assertThat((Long) Files.getAttribute(wh, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isZero();
        assertThatThrownBy(() -> ops.mknod(wh, FileOps.S_IFCHR, 0, 0)).hasMessageContaining("File exists");
    }

    @Test
    void setsAndReadsTrustedXattr(@TempDir Path dir) throws IOException {
        Path d = Files.createDirectory(dir.resolve("d"));
        assertThat(ops.getXattr(d, "trusted.overlay.opaque")).isEmpty();
        ops.setXattr(d, "trusted.overlay.opaque", "y".getBytes());
        assertThat(ops.getXattr(d, "trusted.overlay.opaque")).hasValueSatisfying(v -> assertThat(new String(v)).isEqualTo("y"));
    }
}
