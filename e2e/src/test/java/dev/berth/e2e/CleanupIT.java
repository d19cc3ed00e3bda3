package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Failed creates and starts must leave nothing behind: mounts, cgroups, veths. */
class CleanupIT extends E2E {
    CleanupIT(Engine e) {
        super(e);
    }

    private long veths() {
        return Cmd.run("ip", "-o", "link", "show", "type", "veth").out().lines().count();
    }

    private List<String> cgroupDirsWith(String id) throws IOException {
        try (Stream<Path> s = Files.walk(Path.of("/sys/fs/cgroup"), 4)) {
            return s.filter(Files::isDirectory).map(Path::toString).filter(p -> p.contains(id)).toList();
        }
    }

    @Test
    void failedCreateLeavesNothing() {
        int mounts = Engine.mountsUnder(e.dataRoot.toString()).size();
        long veths = veths();
        String name = Engine.name("badcreate");
        Cmd.Result r = docker("run", "--name", name, "--mount", "type=bind,source=/nonexistent-e2e-src,target=/a", "busybox", "true");
        assertThat(r.exit()).as(r.describe()).isEqualTo(125);
        assertThat(r.err()).contains("bind source path does not exist");
        assertThat(docker("inspect", name).exit()).isEqualTo(1);
        assertThat(Engine.mountsUnder(e.dataRoot.toString())).hasSize(mounts);
        assertThat(veths()).isEqualTo(veths);
    }

    @Test
    void failedStartLeavesNothing() throws IOException {
        int mounts = Engine.mountsUnder(e.dataRoot.toString()).size();
        long veths = veths();
        String name = Engine.name("badstart");
        Cmd.Result r = docker("run", "--name", name, "busybox", "/no/such/binary");
        assertThat(r.exit()).as(r.describe()).isEqualTo(127);
        String id = inspect(name, "{{.Id}}");
        assertThat(inspect(name, "{{.State.Status}}")).isIn("created", "exited");
        assertThat(eventually(Duration.ofSeconds(5), () -> Engine.mountsUnder(e.dataRoot.toString()).size() == mounts))
                .as("mounts after failed start: %s", Engine.mountsUnder(e.dataRoot.toString())).isTrue();
        assertThat(veths()).isEqualTo(veths);
        assertThat(cgroupDirsWith(id)).isEmpty();
        ok("rm", name);
    }

    @Test
    void removedContainerLeavesNothing() throws IOException {
        int mounts = Engine.mountsUnder(e.dataRoot.toString()).size();
        long veths = veths();
        String name = sleeper("rmclean", "--memory", "32m");
        String id = inspect(name, "{{.Id}}");
        ok("rm", "-f", name);
        assertThat(eventually(Duration.ofSeconds(5), () -> Engine.mountsUnder(e.dataRoot.toString()).size() == mounts)).isTrue();
        assertThat(eventually(Duration.ofSeconds(5), () -> veths() == veths)).isTrue();
        assertThat(cgroupDirsWith(id)).isEmpty();
        assertThat(Engine.mountsUnder(e.dataRoot.toString())).noneMatch(m -> m.contains(id));
    }
}
