package dev.berth.runtime;

import dev.berth.sys.cgroup.Cgroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class CgroupAttachWarmupTest {
    @TempDir
    Path tmp;

    /** A clock that only the fake sleeper moves. */
    private final AtomicLong now = new AtomicLong(1_000);
    private final CgroupAttachWarmup.Sleeper sleeper = d -> now.addAndGet(d.toNanos());

    private Path cgroupfs(String... dirs) throws IOException {
        Path root = tmp.resolve("cgroup");
        for (String d : dirs) {
            Files.createDirectories(root.resolve(d));
            Files.writeString(root.resolve(d).resolve("tasks"), "");
        }
        return root;
    }

    private Path self(String text) throws IOException {
        return Files.writeString(tmp.resolve("self-cgroup"), text);
    }

    private CgroupAttachWarmup warmup(Path root, Path self, long tid, java.util.concurrent.Executor ex) {
        return new CgroupAttachWarmup(new Cgroups(root), self, tid, ex, now::get, sleeper);
    }

    private static long writes(Path tasks, String id) throws IOException {
        String s = Files.readString(tasks);
        return s.isEmpty() ? 0 : s.length() / id.length();
    }

    @Test
    void keepsMovingOneOfOurThreadsIntoItsOwnPidsCgroupForTheWindow() throws IOException {
        Path root = cgroupfs("systemd", "memory/x", "pids/a/b", "unified");
        Path self = self("9:name=systemd:/\n8:pids:/a/b\n4:memory:/x\n0::/\n");
        var w = warmup(root, self, 4242, Runnable::run);

        assertThat(w.target()).contains(root.resolve("pids/a/b/tasks"));
        w.kick();
        long expected = CgroupAttachWarmup.WINDOW.toNanos() / CgroupAttachWarmup.INTERVAL.toNanos();
        assertThat(writes(root.resolve("pids/a/b/tasks"), "4242")).isBetween(expected, expected + 1);
        assertThat(Files.readString(root.resolve("pids/a/b/tasks"))).startsWith("42424242");
        assertThat(Files.readString(root.resolve("memory/x/tasks"))).isEmpty();
    }

    @Test
    void withoutPidsTakesTheFirstMountedHierarchyAndSkipsUnmountedOnes() throws IOException {
        Path root = cgroupfs("systemd", "cpu,cpuacct/s");
        Path self = self("7:freezer:/f\n3:cpu,cpuacct:/s\n1:name=systemd:/\n0::/\n");
        assertThat(warmup(root, self, 1, Runnable::run).target()).contains(root.resolve("cpu,cpuacct/s/tasks"));
    }

    @Test
    void doesNothingOnAPureV2HostOrWithoutAV1Cgroup() throws IOException {
        Path root = cgroupfs("pids");
        Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids\n");
        List<Runnable> submitted = new ArrayList<>();
        warmup(root, self("0::/user.slice\n"), 1, submitted::add).kick();
        assertThat(submitted).isEmpty();

        Path v1 = tmp.resolve("v1");
        Files.createDirectories(v1.resolve("pids"));
        assertThat(warmup(v1, self("0::/\n"), 1, Runnable::run).target()).isEmpty();
        assertThat(warmup(v1, tmp.resolve("missing"), 1, Runnable::run).target()).isEmpty();
    }

    @Test
    void oneWriterAtATimeAndAKickDuringAWindowExtendsIt() throws IOException {
        Path root = cgroupfs("pids");
        List<Runnable> submitted = new ArrayList<>();
        var w = warmup(root, self("1:pids:/\n"), 7, submitted::add);

        w.kick();
        w.kick();
        assertThat(submitted).hasSize(1);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        w.kick();                       // extends the window to 3 s after the first kick
        assertThat(submitted).hasSize(1);
        submitted.getFirst().run();
        assertThat(now.get() - 1_000).isGreaterThanOrEqualTo(Duration.ofSeconds(3).toNanos());
        w.kick();
        assertThat(submitted).hasSize(2);
    }

    @Test
    void aWriteThatFailsOnlyCostsTheOptimisation() throws IOException {
        Path root = cgroupfs("pids/gone");
        Files.delete(root.resolve("pids/gone/tasks"));
        warmup(root, self("1:pids:/gone\n"), 7, Runnable::run).kick();
        assertThat(root.resolve("pids/gone/tasks")).doesNotExist();
        warmup(root, self("1:pids:/../../etc\n"), 7, Runnable::run).kick();
        assertThat(now.get()).isEqualTo(1_000);
    }

    @Test
    void closeAndLapseWaitsUntilOurLastWriteIsALapseOldAndCostsNothingOtherwise() throws IOException {
        Path root = cgroupfs("pids");
        List<Runnable> submitted = new ArrayList<>();
        var w = warmup(root, self("1:pids:/\n"), 7, submitted::add);

        w.closeAndLapse();                       // never written: no wait
        assertThat(now.get()).isEqualTo(1_000);

        w.kick();
        submitted.getFirst().run();              // a whole window of writes; the clock is now past it
        long lastWrite = now.get() - CgroupAttachWarmup.INTERVAL.toNanos();
        w.closeAndLapse();
        assertThat(now.get()).isEqualTo(lastWrite + CgroupAttachWarmup.LAPSE.toNanos());

        w.closeAndLapse();                       // already lapsed: no further wait
        assertThat(now.get()).isEqualTo(lastWrite + CgroupAttachWarmup.LAPSE.toNanos());
    }

    @Test
    void closeAndLapseEndsAnOpenWindowAtTheWritersNextCheck() throws IOException {
        Path root = cgroupfs("pids");
        List<Runnable> submitted = new ArrayList<>();
        var w = warmup(root, self("1:pids:/\n"), 7, submitted::add);
        w.kick();
        w.closeAndLapse();                       // before the writer ran: nothing written yet, no wait
        submitted.getFirst().run();              // the writer writes once, then finds the window closed
        assertThat(writes(root.resolve("pids/tasks"), "7")).isEqualTo(1);
    }
}
