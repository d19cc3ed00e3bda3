package dev.berth.daemon.container;

import dev.berth.api.backend.ContainerBackend.LogsOptions;
import dev.berth.api.backend.OutputSink;
import dev.berth.api.backend.StdStream;
import dev.berth.common.BerthException;
import dev.berth.daemon.logs.LogShippers;
import dev.berth.daemon.logs.LogTarget;
import dev.berth.logger.LogFileReader;
import dev.berth.logger.LogMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code docker logs}: reads the container's log, json-file or local (after shipping what the shim has
 * spooled, so nothing written so far is missing) and filters it (stdout/stderr, since/until, tail
 * N, timestamps). With follow, streams until the container has stopped and the log is drained, or
 * the client goes away. Thread-safe (no state).
 */
final class LogsService {
    private final Engine e;

    LogsService(Engine e) {
        this.e = e;
    }

    /** Filter state for one request (the tail is found by the reader); pure so it can be unit-tested. */
    static final class Filter {
        private final LogsOptions o;

        Filter(LogsOptions o) {
            this.o = o;
        }

        static long parseTail(String tail) {
            if (tail == null || tail.isEmpty() || tail.equals("all")) {
                return -1;
            }
            try {
                long n = Long.parseLong(tail);
                return n < 0 ? -1 : n;
            } catch (NumberFormatException ex) {
                return -1;
            }
        }

        /** The bytes to write for an entry, or null to drop it. */
        byte[] apply(LogMessage entry) {
            if (entry.stderr() ? !o.stderr() : !o.stdout()) {
                return null;
            }
            double t = entry.timeNanos() / 1e9;
            if (o.since() > 0 && t < o.since()) {
                return null;
            }
            if (o.until() > 0 && t > o.until()) {
                return null;
            }
            if (!o.timestamps() && !o.details()) {
                return entry.data();
            }
            // dockerd's order: time, then the attributes, then the line
            StringBuilder prefix = new StringBuilder();
            if (o.timestamps()) {
                prefix.append(Times.rfc3339NanoFixed(Times.ofNanos(entry.timeNanos()))).append(' ');
            }
            if (o.details()) {
                prefix.append(details(entry.attrs())).append(' ');
            }
            byte[] head = prefix.toString().getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[head.length + entry.data().length];
            System.arraycopy(head, 0, out, 0, head.length);
            System.arraycopy(entry.data(), 0, out, head.length, entry.data().length);
            return out;
        }

        /** {@code k=v,k2=v2} sorted by key, each side escaped as Go's url.QueryEscape. */
        static String details(java.util.Map<String, String> attrs) {
            StringBuilder sb = new StringBuilder();
            new java.util.TreeMap<>(attrs).forEach((k, v) -> {
                if (!sb.isEmpty()) {
                    sb.append(',');
                }
                sb.append(queryEscape(k)).append('=').append(queryEscape(v));
            });
            return sb.toString();
        }

        private static String queryEscape(String s) {
            // URLEncoder differs from Go only in leaving '*' alone and escaping '~'
            return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
        }

        /** True once entries are past {@code until} (follow can stop). */
        boolean pastUntil(LogMessage entry) {
            return o.until() > 0 && entry.timeNanos() / 1e9 > o.until();
        }
    }

    void logs(Container c, LogsOptions o, OutputSink sink) {
        ContainerRecord r = c.rec;
        if (e.logSettings(r).discards()) {
            throw BerthException.invalid("configured logging driver does not support reading");
        }
        if (!o.stdout() && !o.stderr()) {
            throw BerthException.invalid("You must choose at least one stream");
        }
        if (e.logSettings(r).startError() != null) {
            return; // the local driver's options kept the container from ever starting: nothing was logged
        }
        // the shipper's target, so reader and writer agree on the file and its format
        LogTarget target = e.logTarget(r);
        e.logs.sync(r.id);
        try (LogShippers.Following following = o.follow() ? e.logs.follow(r.id) : () -> { }) {
            Filter f = new Filter(o);
            boolean follow = o.follow() && isActive(c);
            boolean[] stop = {false};
            LogFileReader.read(target.log(), target.format(), Filter.parseTail(o.tail()), follow, () -> stop[0] || sink.isClosed() || stopped(c), entry -> {
                if (f.pastUntil(entry)) {
                    stop[0] = true;
                    return;
                }
                byte[] out = f.apply(entry);
                if (out != null) {
                    sink.write(entry.stderr() && !r.config.tty() ? StdStream.STDERR : StdStream.STDOUT, out, 0, out.length);
                    sink.flush();
                }
            });
        } catch (IOException ex) {
            if (!sink.isClosed()) {
                throw BerthException.internal("reading logs failed: " + ex.getMessage(), ex);
            }
        }
    }

    /** Follow ends once the container stopped; what its last moments wrote is shipped before the final read. */
    private boolean stopped(Container c) {
        if (isActive(c)) {
            return false;
        }
        e.logs.sync(c.id());
        return true;
    }

    /** Attach with logs=1: the whole log, once. */
    void replay(Container c, boolean stdout, boolean stderr, OutputSink sink) {
        logs(c, new LogsOptions(false, stdout, stderr, 0, 0, false, "all"), sink);
    }

    private static boolean isActive(Container c) {
        var s = c.rec.state;
        return s.running || s.restarting;
    }
}
