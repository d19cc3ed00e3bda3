package dev.berth.daemon.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.fs.ContainerFs;
import dev.berth.sys.fs.FileOps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnersTest {
    @TempDir
    Path root;

    ContainerFs fs() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\nstaff:x:50:\n");
        return new ContainerFs("c", root, false, List.of(), FileOps.linux());
    }

    @Test
    void resolvesUsersAndGroupsInTheContainer() throws Exception {
        ContainerFs fs = fs();
        assertThat(Owners.resolve(fs, "")).isNull();
        assertThat(Owners.resolve(fs, null)).isNull();
        assertThat(Owners.resolve(fs, "app")).containsExactly(1000, 1001);
        assertThat(Owners.resolve(fs, "1000")).containsExactly(1000, 1001);
        assertThat(Owners.resolve(fs, "app:staff")).containsExactly(1000, 50);
        assertThat(Owners.resolve(fs, "4242:7")).containsExactly(4242, 7);
        assertThat(Owners.resolve(fs, "4242")).containsExactly(4242, 0);
        assertThatThrownBy(() -> Owners.resolve(fs, "ghost")).hasMessageContaining("unable to find user ghost");
        assertThatThrownBy(() -> Owners.resolve(fs, "app:ghosts")).hasMessageContaining("unable to find group ghosts");
    }
}
