package dev.berth.daemon;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * dockerd's {@code --shutdown-timeout} for berthd's own shutdown work (closing listeners, stores,
 * timers). Unlike dockerd, nothing here stops containers — they run under conmon and outlive the
 * daemon — so the timeout only bounds how long SIGTERM may take. Stateless.
 */
final class ShutdownDeadline {
    private ShutdownDeadline() {}

    /**
     * Runs {@code work} on its own (daemon) thread and waits up to {@code seconds} for it;
     * negative waits for ever.
     *
     * @return true if the work finished in time
     */
    static boolean run(Runnable work, int seconds, Consumer<String> warn) {
        Thread t = Thread.ofPlatform().name("berth-shutdown-work").daemon().start(work);
        try {
            if (seconds < 0) {
                t.join();
                return true;
            }
            if (t.join(Duration.ofSeconds(seconds))) {
                return true;
            }
            warn.accept("shutdown did not complete within " + seconds + "s (--shutdown-timeout); exiting anyway");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
