package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** --shutdown-timeout: berthd waits that long for its own shutdown work, then exits anyway. */
class ShutdownDeadlineTest {
    private final List<String> warnings = new ArrayList<>();

    @Test
    void quickWorkFinishesInTime() {
        boolean[] ran = {false};
        assertThat(ShutdownDeadline.run(() -> ran[0] = true, 5, warnings::add)).isTrue();
        assertThat(ran[0]).isTrue();
        assertThat(warnings).isEmpty();
    }

    @Test
    void stuckWorkIsAbandonedAfterTheTimeout() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        long t0 = System.nanoTime();
        assertThat(ShutdownDeadline.run(() -> {
            try {
                never.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 1, warnings::add)).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(900L, 10_000L);
        assertThat(warnings).containsExactly("shutdown did not complete within 1s (--shutdown-timeout); exiting anyway");
        never.countDown();
    }

    @Test
    void zeroDoesNotWaitAndNegativeWaitsForEver() {
        assertThat(ShutdownDeadline.run(() -> { }, -1, warnings::add)).isTrue();
        CountDownLatch release = new CountDownLatch(1);
        boolean inTime = ShutdownDeadline.run(() -> {
            try {
                release.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 0, warnings::add);
        release.countDown();
        assertThat(inTime).isFalse();
    }
}
