package dev.berth.daemon.container;

import dev.berth.api.model.HostConfig;
import java.time.Duration;

/** Docker's restart decision (moby restartmanager): whether to restart after an exit, and when. */
public final class RestartPolicy {
    static final Duration INITIAL = Duration.ofMillis(100);
    static final Duration MAX = Duration.ofMinutes(1);
    static final Duration RESET_AFTER = Duration.ofSeconds(10);

    private RestartPolicy() {}

    public static boolean isNone(String name) {
        return name == null || name.isEmpty() || name.equals("no");
    }

    /** True for policies that bring a container back at daemon start (always, unless-stopped). */
    public static boolean restartsOnDaemonStart(HostConfig.RestartPolicy p, boolean manuallyStopped) {
        if (p == null || p.name() == null) {
            return false;
        }
        return switch (p.name()) {
            case "always" -> !manuallyStopped;
            case "unless-stopped" -> !manuallyStopped;
            default -> false;
        };
    }

    /**
     * Decides whether to restart.
     *
     * @param restartCount restarts done so far (the container's RestartCount)
     * @param manuallyStopped stopped by the user (docker stop/kill never auto-restarts)
     */
    public static boolean shouldRestart(HostConfig.RestartPolicy p, int exitCode, boolean manuallyStopped, int restartCount) {
        if (p == null || isNone(p.name()) || manuallyStopped) {
            return false;
        }
        return switch (p.name()) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> exitCode != 0 && (p.maximumRetryCount() == 0 || restartCount < p.maximumRetryCount());
            default -> false;
        };
    }

    /** The back-off between automatic restarts: 100ms doubling to 1 min, reset after 10s of running. Not thread-safe; used under the container lock. */
    public static final class Backoff {
        private Duration timeout = Duration.ZERO;

        /** The delay before the next restart, given how long the last run lasted. */
        public Duration next(Duration ranFor) {
            if (ranFor.compareTo(RESET_AFTER) >= 0) {
                timeout = Duration.ZERO;
            }
            if (timeout.isZero()) {
                timeout = INITIAL;
            } else if (timeout.compareTo(MAX) < 0) {
                timeout = timeout.multipliedBy(2);
            }
            if (timeout.compareTo(MAX) > 0) {
                timeout = MAX;
            }
            return timeout;
        }

        public void reset() {
            timeout = Duration.ZERO;
        }
    }
}
