package dev.berth.compose.engine;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Options of {@code up}/{@code create}.
 *
 * @param services the services named on the command line (empty: all enabled)
 * @param scale    per-service replica overrides ({@code --scale svc=n})
 * @param start    false for {@code create} (containers created, not started)
 * @param waitTimeout null: no limit
 * @param startFirst zero-downtime replace: start the new container (and wait for it to be
 *                   healthy/running) before stopping the old one
 */
public record UpOptions(Set<String> services, boolean noDeps, boolean forceRecreate, boolean noRecreate,
                        boolean removeOrphans, boolean waitReady, Duration waitTimeout, Map<String, Integer> scale,
                        boolean start, boolean build, String pull, boolean startFirst) {

    public static UpOptions defaults() {
        return new UpOptions(Set.of(), false, false, false, false, false, null, Map.of(), true, false, "missing", false);
    }
}
