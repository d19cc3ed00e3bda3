package dev.berth.daemon.container;

import dev.berth.runtime.RuntimeDriver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Daemon start-up: loads every stored container, re-adopts those whose shim still runs, records
 * the exit of those that died while the daemon was down (applying restart policy and auto-remove),
 * and starts always/unless-stopped containers that are not running.
 */
final class Restorer {
    private static final System.Logger LOG = System.getLogger("berth.container");
    private final Engine e;
    private final ContainerLifecycle lifecycle;
    private final Remover remover;

    Restorer(Engine e, ContainerLifecycle lifecycle, Remover remover) {
        this.e = e;
        this.lifecycle = lifecycle;
        this.remover = remover;
    }

    void restore() {
        Map<String, RuntimeDriver.RestoredContainer> alive = new HashMap<>();
        for (RuntimeDriver d : e.runtimes.values()) {
            try {
                for (RuntimeDriver.RestoredContainer rc : d.restore()) {
                    alive.put(rc.id(), rc);
                }
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "runtime " + d.name() + " restore failed: " + ex.getMessage());
            }
        }
        List<ContainerRecord> records = e.store.loadAll();
        for (ContainerRecord r : records) {
            try {
                e.index.names().reserve(r.name, r.id);
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "duplicate name " + r.name + " for " + r.id + "; renaming");
                r.name = e.index.names().reserve(null, r.id);
            }
            r.state.removalInProgress = false;
            e.index.add(new Container(r));
        }
        for (Container c : List.copyOf(e.index.all())) {
            ContainerRecord r = c.rec;
            RuntimeDriver.RestoredContainer rc = alive.get(r.id);
            try {
                if (rc != null && rc.running()) {
                    c.locked(() -> lifecycle.exits().adopt(c, rc));
                } else if (r.state.running || r.state.restarting) {
                    RuntimeDriver.ExitStatus st = rc != null && rc.exit().isPresent() ? rc.exit().get()
                            : new RuntimeDriver.ExitStatus(255, 0, false);
                    lifecycle.exits().exitedWhileDown(c, st);
                } else if (r.hostConfig.autoRemove() && r.hasBeenStartedBefore) {
                    remover.remove(c, true, true);
                } else if (RestartPolicy.restartsOnDaemonStart(r.hostConfig.restartPolicy(), r.hasBeenManuallyStopped)) {
                    e.virtual.execute(() -> Engine.quietly("start " + r.id + " at daemon start", () -> lifecycle.start(c)));
                }
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "restore of " + r.id + " failed: " + ex.getMessage());
            }
        }
    }
}
