package dev.berth.sys.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class CgroupsTest {
    @Test
    void hybridLayoutPathsPidsOomAndRemoval(@TempDir Path root) throws Exception {
        for (String c : new String[] {"memory", "pids", "cpu,cpuacct", "unified"}) {
            Files.createDirectories(root.resolve(c).resolve("berth/c1/sub"));
        }
        Files.writeString(root.resolve("unified/cgroup.controllers"), "");
        Files.writeString(root.resolve("pids/berth/c1/cgroup.procs"), "10\n11\n");
        Files.writeString(root.resolve("pids/berth/c1/sub/cgroup.procs"), "12\n");
        Files.writeString(root.resolve("memory/berth/c1/memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        Cgroups cg = new Cgroups(root);
        assertThat(cg.mode()).isEqualTo(Cgroups.Mode.HYBRID);
        assertThat(cg.v1Dir("cpuacct", "/berth/c1")).contains(root.resolve("cpu,cpuacct/berth/c1"));
        assertThat(cg.v2Dir("/berth/c1")).contains(root.resolve("unified/berth/c1"));
        assertThat(cg.pids("/berth/c1")).containsExactly(10, 11, 12);
        assertThat(cg.oomKills("/berth/c1")).isEqualTo(2);
        assertThat(Cgroups.readLong(root.resolve("nope"))).isEmpty();
    }
}
