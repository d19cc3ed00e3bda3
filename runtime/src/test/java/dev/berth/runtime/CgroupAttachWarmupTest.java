package dev.berth.runtime;

import dev.berth.sys.cgroup.Cgroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class CgroupAttachWarmupTest {
    @TempDir
    Path tmp;

    private Path cgroupfs(String... dirs) throws IOException {
        Path root = tmp.resolve("cgroup");
        for (String d : dirs) {
            Files.createDirectories(root.resolve(d));
            Files.writeString(root.resolve(d).resolve("cgroup.procs"), "");
        }
        return root;
    }

    private Path self(String text) throws IOException {
        return Files.writeString(tmp.resolve("self-cgroup"), text);
    }

    @Test
    void movesUsIntoTheCgroupWeAreAlreadyInOnThePidsHierarchy() throws IOException {
        Path root = cgroupfs("systemd", "memory/x", "pids/a/b", "unified");
        Path self = self("9:name=systemd:/\n8:pids:/a/b\n4:memory:/x\n0::/\n");
        var w = new CgroupAttachWarmup(new Cgroups(root), self, 4242, Runnable::run);

        assertThat(w.target()).contains(root.resolve("pids/a/b/cgroup.procs"));
        w.kick();
        assertThat(Files.readString(root.resolve("pids/a/b/cgroup.procs"))).isEqualTo("4242");
        assertThat(Files.readString(root.resolve("memory/x/cgroup.procs"))).isEmpty();
    }

    @Test
    void withoutPidsTakesTheFirstMountedHierarchyAndSkipsUnmountedOnes() throws IOException {
        Path root = cgroupfs("systemd", "cpu,cpuacct/s");
        Path self = self("7:freezer:/f\n3:cpu,cpuacct:/s\n1:name=systemd:/\n0::/\n");
        var w = new CgroupAttachWarmup(new Cgroups(root), self, 1, Runnable::run);

        assertThat(w.target()).contains(root.resolve("cpu,cpuacct/s/cgroup.procs"));
    }

    @Test
    void doesNothingOnAPureV2HostOrWithoutAV1Cgroup() throws IOException {
        Path root = cgroupfs("pids");
        Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids\n");
        List<Runnable> submitted = new ArrayList<>();
        new CgroupAttachWarmup(new Cgroups(root), self("0::/user.slice\n"), 1, submitted::add).kick();
        assertThat(submitted).isEmpty();

        Path v1 = tmp.resolve("v1");
        Files.createDirectories(v1.resolve("pids"));
        assertThat(new CgroupAttachWarmup(new Cgroups(v1), self("0::/\n"), 1, Runnable::run).target()).isEmpty();
        assertThat(new CgroupAttachWarmup(new Cgroups(v1), tmp.resolve("missing"), 1, Runnable::run).target()).isEmpty();
    }

    @Test
    void keepsAtMostOneWarmUpInFlight() throws IOException {
        Path root = cgroupfs("pids");
        List<Runnable> submitted = new ArrayList<>();
        var w = new CgroupAttachWarmup(new Cgroups(root), self("1:pids:/\n"), 7, submitted::add);

        w.kick();
        w.kick();
        assertThat(submitted).hasSize(1);
        submitted.getFirst().run();
        w.kick();
        assertThat(submitted).hasSize(2);
        assertThat(Files.readString(root.resolve("pids/cgroup.procs"))).isEqualTo("7");
    }

    @Test
    void aWriteThatFailsOnlyCostsTheOptimisation() throws IOException {
        Path root = cgroupfs("pids/gone");
        Files.delete(root.resolve("pids/gone/cgroup.procs"));
        new CgroupAttachWarmup(new Cgroups(root), self("1:pids:/gone\n"), 7, Runnable::run).kick();
        assertThat(root.resolve("pids/gone/cgroup.procs")).doesNotExist();
        new CgroupAttachWarmup(new Cgroups(root), self("1:pids:/../../etc\n"), 7, Runnable::run).kick();
    }
}
