package dev.berth.runtime;

import dev.berth.sys.cgroup.Cgroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Completes exit futures from conmon's exit files ({@code <exitDir>/<id>}, holding the exit
 * code; 128+signal for a killed process). A single virtual thread polls while futures are
 * pending. The OOM flag is read from the container's memory cgroup when the exit is first seen
 * (before the runtime deletes the cgroup). Thread-safe.
 */
final class ExitWatcher {
    private static final long POLL_MILLIS = 50;

    private final Path exitDir;
    private final Function<String, Optional<String>> cgroupsPathOf;
    private final Cgroups cgroups;
    private final Map<String, CompletableFuture<RuntimeDriver.ExitStatus>> futures = new ConcurrentHashMap<>();
    private final Map<String, RuntimeDriver.ExitStatus> seen = new ConcurrentHashMap<>();
    private Thread poller;

    ExitWatcher(Path exitDir, Function<String, Optional<String>> cgroupsPathOf, Cgroups cgroups) {
        this.exitDir = exitDir;
        this.cgroupsPathOf = cgroupsPathOf;
        this.cgroups = cgroups;
    }

    CompletableFuture<RuntimeDriver.ExitStatus> await(String id) {
        CompletableFuture<RuntimeDriver.ExitStatus> f = futures.computeIfAbsent(id, k -> new CompletableFuture<>());
        poll(id);
        ensurePoller();
        return f;
    }

    /** Drops what is known about a previous run of {@code id} (the container is being re-created). */
    void forget(String id) {
        seen.remove(id);
        CompletableFuture<RuntimeDriver.ExitStatus> f = futures.get(id);
        if (f != null && f.isDone()) {
            futures.remove(id, f);
        }
    }

    /** Checks {@code id}'s exit file now; completes its future if present. */
    Optional<RuntimeDriver.ExitStatus> poll(String id) {
        RuntimeDriver.ExitStatus known = seen.get(id);
        if (known == null) {
            Path f = exitDir.resolve(id);
            if (!Files.exists(f)) {
                return Optional.empty();
            }
            try {
                String s = Files.readString(f).trim();
                if (s.isEmpty()) {
                    return Optional.empty(); // being written
                }
                int code = Integer.parseInt(s);
                long finished = Files.getLastModifiedTime(f).toInstant().getEpochSecond() * 1_000_000_000L
                        + Files.getLastModifiedTime(f).toInstant().getNano();
                boolean oom = cgroupsPathOf.apply(id).map(p -> cgroups.oomKills(p) > 0).orElse(false);
                known = new RuntimeDriver.ExitStatus(code, finished, oom);
                RuntimeDriver.ExitStatus prev = seen.putIfAbsent(id, known);
                if (prev != null) {
                    known = prev;
                }
            } catch (IOException | NumberFormatException e) {
                return Optional.empty();
            }
        }
        CompletableFuture<RuntimeDriver.ExitStatus> fut = futures.get(id);
        if (fut != null) {
            fut.complete(known);
        }
        return Optional.of(known);
    }

    private synchronized void ensurePoller() {
        if (poller != null && poller.isAlive()) {
            return;
        }
        poller = Thread.ofVirtual().name("berth-exit-watcher").start(() -> {
            while (true) {
                boolean pending = false;
                for (Map.Entry<String, CompletableFuture<RuntimeDriver.ExitStatus>> e : futures.entrySet()) {
                    if (!e.getValue().isDone()) {
                        poll(e.getKey());
                        pending |= !e.getValue().isDone();
                    }
                }
                if (!pending) {
                    synchronized (this) {
                        if (futures.values().stream().allMatch(CompletableFuture::isDone)) {
                            poller = null;
                            return;
                        }
                    }
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        });
    }
}
