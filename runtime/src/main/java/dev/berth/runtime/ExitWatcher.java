package dev.berth.runtime;

import dev.berth.sys.cgroup.Cgroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Completes exit futures from conmon's exit files ({@code <exitDir>/<id>}, holding the exit
 * code; 128+signal for a killed process). One daemon thread waits on inotify for new exit
 * files (see {@link #ensurePoller}). The OOM flag is read from the container's memory cgroup when the exit is first seen
 * (before the runtime deletes the cgroup). Thread-safe.
 */
final class ExitWatcher {
    private static final long POLL_MILLIS = 50;
    private static final long FALLBACK_SCAN_MILLIS = 1_000;

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

    /**
     * Starts the watcher thread once: it waits on inotify (the JDK's Linux WatchService) for
     * conmon's exit files, so an exit is seen within about a millisecond instead of a poll
     * interval; a slow re-scan of pending futures covers lost events (queue overflow) and hosts
     * where the watch cannot be registered.
     */
    private synchronized void ensurePoller() {
        if (poller != null && poller.isAlive()) {
            return;
        }
        WatchService ws = null;
        try {
            ws = exitDir.getFileSystem().newWatchService();
            exitDir.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ws);
            ws = null;
        }
        WatchService watch = ws;
        poller = Thread.ofPlatform().daemon().name("berth-exit-watcher").start(() -> {
            try {
                while (true) {
                    WatchKey key = watch == null ? null : watch.poll(watch == null ? 0 : FALLBACK_SCAN_MILLIS, TimeUnit.MILLISECONDS);
                    if (watch == null) {
                        Thread.sleep(POLL_MILLIS);
                    }
                    if (key != null) {
                        for (WatchEvent<?> ev : key.pollEvents()) {
                            if (ev.context() instanceof Path name && futures.containsKey(name.toString())) {
                                poll(name.toString());
                            }
                        }
                        key.reset();
                    }
                    if (key == null || watch == null) {
                        for (Map.Entry<String, CompletableFuture<RuntimeDriver.ExitStatus>> e : futures.entrySet()) {
                            if (!e.getValue().isDone()) {
                                poll(e.getKey());
                            }
                        }
                    }
                }
            } catch (InterruptedException | java.nio.file.ClosedWatchServiceException ie) {
                closeQuietly(watch);
            }
        });
    }

    private static void closeQuietly(WatchService ws) {
        if (ws != null) {
            try {
                ws.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
