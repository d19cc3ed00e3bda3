package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SecurityIT extends E2E {
    SecurityIT(Engine e) {
        super(e);
    }

    private static String field(String status, String key) {
        return status.lines().filter(l -> l.startsWith(key + ":")).map(l -> l.substring(key.length() + 1).trim())
                .findFirst().orElse("<missing " + key + ">");
    }

    @Test
    void defaultCapabilitiesAndSeccomp() {
        String status = ok("run", "--rm", "busybox", "cat", "/proc/self/status");
        assertThat(field(status, "CapEff")).isEqualTo("00000000a80425fb");
        assertThat(field(status, "CapPrm")).isEqualTo("00000000a80425fb");
        assertThat(field(status, "CapBnd")).isEqualTo("00000000a80425fb");
        assertThat(field(status, "CapInh")).isEqualTo("0000000000000000");
        assertThat(field(status, "Seccomp")).isEqualTo("2");
        assertThat(field(status, "NoNewPrivs")).isEqualTo("0");
    }

    @Test
    void cannotUnshareNetwork() {
        Cmd.Result r = docker("run", "--rm", "busybox", "unshare", "-n", "true");
        assertThat(r.exit()).as(r.describe()).isNotZero();
    }

    @Test
    void maskedAndReadonlyPaths() {
        // Masked files read empty (a /dev/null bind); only check those this kernel has.
        for (String f : new String[] {"/proc/kcore", "/proc/timer_list", "/proc/keys", "/proc/sched_debug"}) {
            if (Files.exists(Path.of(f))) {
                assertThat(ok("run", "--rm", "busybox", "cat", f)).as(f).isEmpty();
            }
        }
        assertThat(ok("run", "--rm", "busybox", "ls", "/sys/firmware")).isEmpty();
        assertThat(ok("run", "--rm", "busybox", "ls", "/proc/acpi")).isEmpty();
        Cmd.Result w = docker("run", "--rm", "busybox", "sh", "-c", "echo 1 > /proc/sysrq-trigger");
        assertThat(w.exit()).isNotZero();
    }

    @Test
    void privilegedGetsAllBoundingCaps() throws Exception {
        String host = Files.readString(Path.of("/proc/self/status"));
        String status = ok("run", "--rm", "--privileged", "busybox", "cat", "/proc/self/status");
        assertThat(field(status, "CapEff")).isEqualTo(field(host, "CapBnd"));
        assertThat(field(status, "Seccomp")).isEqualTo("0");
        assertThat(ok("run", "--rm", "--privileged", "busybox", "ls", "/sys/firmware")).isNotEmpty();
    }

    @Test
    void capDropAllAndCapAdd() {
        assertThat(field(ok("run", "--rm", "--cap-drop", "ALL", "busybox", "cat", "/proc/self/status"), "CapEff"))
                .isEqualTo("0000000000000000");
        assertThat(field(ok("run", "--rm", "--cap-drop", "ALL", "--cap-add", "NET_ADMIN", "busybox", "cat", "/proc/self/status"), "CapEff"))
                .isEqualTo("0000000000001000");
        assertThat(docker("run", "--rm", "--cap-drop", "CHOWN", "busybox", "chown", "nobody", "/tmp").exit()).isNotZero();
    }

    @Test
    void readOnlyRootfs() {
        Cmd.Result r = docker("run", "--rm", "--read-only", "busybox", "touch", "/x");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("Read-only file system");
        assertThat(ok("run", "--rm", "--read-only", "--tmpfs", "/run", "busybox", "touch", "/run/ok")).isEmpty();
    }

    @Test
    void cgroupLimitsAreVisible() {
        String mem = ok("run", "--rm", "--memory", "64m", "busybox", "sh", "-c",
                "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max").trim();
        assertThat(mem).isEqualTo("67108864");
        String cpu = ok("run", "--rm", "--cpus", "0.5", "busybox", "sh", "-c",
                "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cat /sys/fs/cgroup/cpu.max").trim();
        assertThat(cpu).isIn("50000", "50000 100000");
        String pids = ok("run", "--rm", "--pids-limit", "50", "busybox", "sh", "-c",
                "cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max").trim();
        assertThat(pids).isEqualTo("50");
    }

    @Test
    void namespacesAreSeparate() throws Exception {
        String hostPidNs = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        String inside = ok("run", "--rm", "busybox", "readlink", "/proc/self/ns/pid").trim();
        assertThat(inside).isNotEqualTo(hostPidNs);
        assertThat(ok("run", "--rm", "busybox", "sh", "-c", "echo $$").trim()).isEqualTo("1");
        assertThat(ok("run", "--rm", "-h", "myhost", "busybox", "hostname").trim()).isEqualTo("myhost");
    }
}
