package dev.berth.daemon.container;

import dev.berth.api.model.ContainerState;
import dev.berth.api.model.HealthConfig;
import dev.berth.common.Ids;
import dev.berth.runtime.RuntimeDriver;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Docker healthchecks: runs the configured test in the container (CMD / CMD-SHELL) every
 * interval (start interval during the start period), with a timeout; keeps the last five results,
 * the failing streak and the status (starting, healthy, unhealthy), and emits
 * {@code health_status: <status>} on changes. One virtual thread per running container with a
 * healthcheck. Thread-safe.
 */
final class HealthMonitor {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_START_INTERVAL = Duration.ofSeconds(5);
    static final int DEFAULT_RETRIES = 3;
    static final int MAX_LOG = 5;
    static final int MAX_OUTPUT = 4096;

    private final Engine e;

    HealthMonitor(Engine e) {
        this.e = e;
    }

    /** A running probe loop; {@link #cancel} ends it. */
    static final class Probe {
        volatile boolean cancelled;
        Thread thread;

        void cancel() {
            cancelled = true;
            if (thread != null) {
                thread.interrupt();
            }
        }
    }

    static boolean hasProbe(HealthConfig hc) {
        return hc != null && hc.test() != null && !hc.test().isEmpty() && !"NONE".equals(hc.test().getFirst());
    }

    /** Starts probing if the container has a healthcheck. Caller holds the lock. */
    void start(Container c) {
        stop(c);
        HealthConfig hc = c.rec.config.healthcheck();
        if (!hasProbe(hc) || c.rec.state.health == null) {
            return;
        }
        Probe p = new Probe();
        c.health = p;
        p.thread = Thread.ofVirtual().name("health-" + Ids.shortId(c.id())).start(() -> loop(c, p, hc));
    }

    void stop(Container c) {
        Probe p = c.health;
        if (p != null) {
            p.cancel();
            c.health = null;
        }
    }

    private void loop(Container c, Probe p, HealthConfig hc) {
        Duration interval = dur(hc.interval(), DEFAULT_INTERVAL);
        Duration startInterval = dur(hc.startInterval(), DEFAULT_START_INTERVAL);
        Duration startPeriod = dur(hc.startPeriod(), Duration.ZERO);
        try {
            while (!p.cancelled) {
                Instant started = Times.parse(c.rec.state.startedAt);
                boolean inStart = started != null && "starting".equals(status(c))
                        && Duration.between(started, e.clock.instant()).compareTo(startPeriod) < 0 && hc.startInterval() != null && hc.startInterval() > 0;
                Thread.sleep(inStart ? startInterval : interval);
                if (p.cancelled) {
                    return;
                }
                ContainerState.HealthcheckResult result = probe(c, hc);
                if (p.cancelled) {
                    return;
                }
                record(c, hc, result);
            }
        } catch (InterruptedException ex) {
            // cancelled
        }
    }

    private String status(Container c) {
        var h = c.rec.state.health;
        return h == null ? "none" : h.status;
    }

    private ContainerState.HealthcheckResult probe(Container c, HealthConfig hc) throws InterruptedException {
        List<String> test = hc.test();
        List<String> args = switch (test.getFirst()) {
            case "CMD" -> test.subList(1, test.size());
            case "CMD-SHELL" -> List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
            default -> test; // Docker treats an unknown first word as a plain command
        };
        Instant start = e.clock.instant();
        Duration timeout = dur(hc.timeout(), DEFAULT_TIMEOUT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        RuntimeDriver.ExecProcess proc = null;
        try {
            ContainerRecord r = c.rec;
            proc = e.driver(r).exec(r.id, new RuntimeDriver.ExecSpec(Ids.newId(), args, SpecAssembler.environment(r),
                    r.config.workingDir() == null || r.config.workingDir().isEmpty() ? "/" : r.config.workingDir(),
                    r.config.user() == null ? "" : r.config.user(), false, false, false, 0, 0));
            RuntimeDriver.ExecProcess pr = proc;
            CompletableFuture<Integer> done = CompletableFuture.supplyAsync(() -> {
                try {
                    pr.pump((stderr, data, off, len) -> {
                        synchronized (out) {
                            int room = MAX_OUTPUT - out.size();
                            if (room > 0) {
                                out.write(data, off, Math.min(room, len));
                            }
                        }
                    });
                    return pr.waitFor();
                } catch (Exception ex) {
                    throw new java.util.concurrent.CompletionException(ex);
                }
            }, e.virtual);
            try {
                code = done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException ex) {
                return new ContainerState.HealthcheckResult(Times.rfc3339Nano(start), e.now(), -1,
                        "Health check exceeded timeout (" + humanSeconds(timeout) + ")");
            } catch (java.util.concurrent.ExecutionException ex) {
                Throwable cause = ex.getCause() instanceof java.util.concurrent.CompletionException ce ? ce.getCause() : ex.getCause();
                return new ContainerState.HealthcheckResult(Times.rfc3339Nano(start), e.now(), -1, String.valueOf(cause.getMessage()));
            }
        } catch (RuntimeException ex) {
            return new ContainerState.HealthcheckResult(Times.rfc3339Nano(start), e.now(), -1, String.valueOf(ex.getMessage()));
        } finally {
            if (proc != null) {
                try {
                    proc.close();
                } catch (java.io.IOException ignored) {
                    // nothing to do
                }
            }
        }
        String output;
        synchronized (out) {
            output = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
        return new ContainerState.HealthcheckResult(Times.rfc3339Nano(start), e.now(), code, output);
    }

    private static String humanSeconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : (ms / 1000.0) + "s";
    }

    /** Applies a probe result (moby handleProbeResult). */
    void record(Container c, HealthConfig hc, ContainerState.HealthcheckResult result) {
        c.lock.lock();
        try {
            var h = c.rec.state.health;
            if (h == null || !c.rec.state.running) {
                return;
            }
            String old = h.status;
            h.log.add(result);
            while (h.log.size() > MAX_LOG) {
                h.log.removeFirst();
            }
            int retries = hc.retries() == null || hc.retries() <= 0 ? DEFAULT_RETRIES : hc.retries();
            if (result.exitCode() == 0) {
                h.failingStreak = 0;
                h.status = "healthy";
            } else {
                boolean count = true;
                if ("starting".equals(h.status)) {
                    Instant started = Times.parse(c.rec.state.startedAt);
                    Instant at = Times.parse(result.start());
                    if (started != null && at != null
                            && Duration.between(started, at).compareTo(dur(hc.startPeriod(), Duration.ZERO)) < 0) {
                        count = false;
                    }
                }
                if (count) {
                    h.failingStreak++;
                    if (h.failingStreak >= retries) {
                        h.status = "unhealthy";
                    }
                }
            }
            e.store.save(c.rec);
            if (!old.equals(h.status)) {
                e.events.emit(c.rec, "health_status: " + h.status, Map.of());
            }
        } finally {
            c.lock.unlock();
        }
    }

    private static Duration dur(Long nanos, Duration dflt) {
        return nanos == null || nanos <= 0 ? dflt : Duration.ofNanos(nanos);
    }
}
