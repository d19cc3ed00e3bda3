package dev.berth.compose.engine;

import dev.berth.api.model.ContainerInspect;
import dev.berth.api.model.ContainerState;
import dev.berth.client.BerthClient;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.time.Duration;
import java.time.Instant;

/**
 * Waits on container states by polling inspect: started, healthy (via State.Health, as
 * {@code service_healthy} and {@code --wait} need), or exited with code 0
 * ({@code service_completed_successfully}). Thread-safe; each call blocks its own thread.
 */
public final class Health {
    private final BerthClient client;
    private final Duration poll;

    public Health(BerthClient client, Duration poll) {
        this.client = client;
        this.poll = poll;
    }

    public enum Goal { RUNNING_OR_HEALTHY, HEALTHY, COMPLETED_SUCCESSFULLY }

    /** Blocks until {@code goal} holds for container {@code id} (shown as {@code name}); throws when it cannot. */
    public void await(String id, String name, Goal goal, Duration timeout) {
        Instant deadline = timeout == null ? Instant.MAX : Instant.now().plus(timeout);
        while (true) {
            ContainerInspect c = client.containers().inspect(id);
            ContainerState st = c.state();
            String health = st.health() == null ? null : st.health().status();
            switch (goal) {
                case COMPLETED_SUCCESSFULLY -> {
                    if (!st.running() && !st.restarting() && "exited".equals(st.status())) {
                        if (st.exitCode() == 0) {
                            return;
                        }
                        throw fail("service \"" + service(c) + "\" didn't complete successfully: exit " + st.exitCode());
                    }
                }
                case HEALTHY -> {
                    if (health == null || health.equals("none")) {
                        throw fail("container " + name + " has no healthcheck configured");
                    }
                    if ("healthy".equals(health)) {
                        return;
                    }
                    if ("unhealthy".equals(health)) {
                        throw fail("container " + name + " is unhealthy");
                    }
                    if (exited(st)) {
                        throw fail("container " + name + " exited (" + st.exitCode() + ")");
                    }
                }
                case RUNNING_OR_HEALTHY -> {
                    if (health != null && !health.equals("none")) {
                        if ("healthy".equals(health)) {
                            return;
                        }
                        if ("unhealthy".equals(health)) {
                            throw fail("container " + name + " is unhealthy");
                        }
                    } else if (st.running()) {
                        return;
                    }
                    if (exited(st)) {
                        throw fail("container " + name + " exited (" + st.exitCode() + ")");
                    }
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new BerthException(ErrorKind.UNAVAILABLE, "timeout waiting for container " + name + " (" + goal + ")");
            }
            try {
                Thread.sleep(poll);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BerthException(ErrorKind.UNAVAILABLE, "interrupted while waiting for " + name, e);
            }
        }
    }

    private static boolean exited(ContainerState st) {
        return !st.running() && !st.restarting() && ("exited".equals(st.status()) || "dead".equals(st.status()));
    }

    private static String service(ContainerInspect c) {
        var labels = c.config() == null ? null : c.config().labels();
        return labels == null ? c.name() : labels.getOrDefault(Labels.SERVICE, c.name());
    }

    private static BerthException fail(String msg) {
        return new BerthException(ErrorKind.CONFLICT, "dependency failed to start: " + msg);
    }
}
