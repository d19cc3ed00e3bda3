package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.daemon.budget.Du;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The storage budget on a real daemon (issue 4): with a budget below what the data root uses, the
 * daemon removes unused images until usage is under the high watermark, logs each removal as an
 * event — and keeps the image a running container uses and the pinned busybox image. (The order,
 * oldest use first, is BudgetPolicyTest's: here all images are first seen at the same check.)
 */
class BudgetIT extends E2E {
    private static final long MB = 1 << 20;

    BudgetIT(Engine e) {
        super(e);
    }

    /** An image of busybox plus {@code mb} MiB of random data, made with docker commit. */
    private String fatImage(String tag, int mb) {
        String name = Engine.name("fat");
        ok("run", "--name", name, "busybox", "sh", "-c", "dd if=/dev/urandom of=/blob bs=1048576 count=" + mb + " 2>/dev/null");
        ok("commit", name, tag);
        ok("rm", name);
        return tag;
    }

    @Test
    void overBudgetRemovesUnusedImagesAndKeepsWhatIsUsedOrPinned() throws Exception {
        String suffix = Long.toString(ProcessHandle.current().pid());
        String used = fatImage("e2e-budget-used:" + suffix, 4);
        String spare1 = fatImage("e2e-budget-spare1:" + suffix, 4);
        String spare2 = fatImage("e2e-budget-spare2:" + suffix, 4);
        String runner = Engine.name("budget-run");
        ok("run", "-d", "--name", runner, used, "sleep", "300");
        long since = System.currentTimeMillis() / 1000;
        long usage = Du.bytes(e.dataRoot);
        // high watermark 1 MiB below today's usage: freeing one 4 MiB image is enough to get under it
        long budget = (usage - MB) * 100 / 90;
        Path config = e.dir.resolve("budget-daemon.json");
        Files.writeString(config, """
                {"storage-budget": "%d", "storage-budget-high": 90, "storage-budget-low": 80,
                 "storage-budget-keep": ["busybox:*"]}
                """.formatted(budget));
        try {
            e.restart(List.of("--config-file", config.toString()));
            boolean removed = eventually(Duration.ofSeconds(30),
                    () -> docker("image", "inspect", spare1).exit() != 0 || docker("image", "inspect", spare2).exit() != 0);
            assertThat(removed).as("an unused image is removed\n" + e.logTail()).isTrue();
            // an image is untagged before its layers are deleted: the space comes back a moment later
            boolean under = eventually(Duration.ofSeconds(30), () -> Du.bytes(e.dataRoot) <= budget * 90 / 100);
            assertThat(under).as("usage under the high watermark: %d > %d\n%s", Du.bytes(e.dataRoot), budget * 90 / 100, e.logTail())
                    .isTrue();
            assertThat(docker("image", "inspect", used).exit()).as("image of a running container").isZero();
            assertThat(docker("image", "inspect", "busybox").exit()).as("pinned image").isZero();
            assertThat(inspect(runner, "{{.State.Running}}")).isEqualTo("true");
            String events = ok("events", "--since", Long.toString(since), "--until", Long.toString(System.currentTimeMillis() / 1000 + 1),
                    "--filter", "type=image", "--format", "{{.Action}} {{.Actor.Attributes.reason}}");
            assertThat(events).containsPattern("(untag|delete) storage-budget");
        } finally {
            docker("rm", "-f", runner);
            docker("rmi", "-f", used, spare1, spare2);
            e.restart(List.of());
        }
    }
}
