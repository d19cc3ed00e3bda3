package dev.berth.sys.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Needs no root: an ordinary file in a temp directory (ext4/tmpfs/xfs all punch holes). */
class FileSpaceTest {
    @TempDir
    Path dir;

    @Test
    void punchFreesTheRangeKeepsSizeAndTheRestAndRefusesAReplacedFile() throws Exception {
        Path f = dir.resolve("spool");
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        Files.write(f, data);
        Object key = Files.readAttributes(f, BasicFileAttributes.class).fileKey();
        long blocksBefore = Lstat.of(f).blocks();

        assertThat(FileSpace.linux().punchHole(f, key, 0, 512 * 1024)).isTrue();

        byte[] after = Files.readAllBytes(f);
        assertThat(after).hasSize(data.length);
        for (int i = 0; i < 512 * 1024; i++) {
            if (after[i] != 0) {
                throw new AssertionError("byte " + i + " not punched");
            }
        }
        assertThat(java.util.Arrays.copyOfRange(after, 512 * 1024, after.length))
                .isEqualTo(java.util.Arrays.copyOfRange(data, 512 * 1024, data.length));
        assertThat(Lstat.of(f).blocks()).isLessThan(blocksBefore);

        // the path now names another file: it is left alone
        Path other = dir.resolve("other");
        Files.write(other, data);
        Files.move(other, f, StandardCopyOption.REPLACE_EXISTING);
        assertThat(FileSpace.linux().punchHole(f, key, 0, 512 * 1024)).isFalse();
        assertThat(Files.readAllBytes(f)).isEqualTo(data);
        assertThat(FileSpace.linux().punchHole(dir.resolve("gone"), key, 0, 4096)).isFalse();
    }
}
