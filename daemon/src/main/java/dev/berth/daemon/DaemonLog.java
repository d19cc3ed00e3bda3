package dev.berth.daemon;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;

/**
 * The daemon's log: one line per message on stderr in dockerd's logfmt shape
 * ({@code time="…" level=info msg="…"}), filtered by level. Thread-safe (lines are written whole).
 */
public final class DaemonLog {
    public enum Level { DEBUG, INFO, WARN, ERROR, FATAL }

    private final PrintStream out;
    private volatile Level threshold;

    public DaemonLog(PrintStream out, String level) {
        this.out = out;
        this.threshold = Level.valueOf(level.toUpperCase(Locale.ROOT));
    }

    public boolean enabled(Level l) {
        return l.ordinal() >= threshold.ordinal();
    }

    public void debug(String msg) {
        log(Level.DEBUG, msg);
    }

    public void info(String msg) {
        log(Level.INFO, msg);
    }

    public void warn(String msg) {
        log(Level.WARN, msg);
    }

    public void error(String msg) {
        log(Level.ERROR, msg);
    }

    public void error(String msg, Throwable t) {
        log(Level.ERROR, msg + ": " + t);
        if (enabled(Level.DEBUG)) {
            t.printStackTrace(out);
        }
    }

    public void log(Level l, String msg) {
        if (!enabled(l)) {
            return;
        }
        String line = "time=\"" + Instant.now() + "\" level=" + l.name().toLowerCase(Locale.ROOT)
                + " msg=\"" + msg.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
