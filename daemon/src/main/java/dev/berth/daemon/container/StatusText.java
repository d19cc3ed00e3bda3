package dev.berth.daemon.container;

import dev.berth.common.HumanUnits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Docker's state words and {@code docker ps} Status texts, computed from a {@link ContainerRecord.StateRecord}. */
public final class StatusText {
    private StatusText() {}

    /** "created", "running", "paused", "restarting", "removing", "exited" or "dead". */
    public static String state(ContainerRecord.StateRecord s) {
        if (s.running) {
            if (s.paused) {
                return "paused";
            }
            if (s.restarting) {
                return "restarting";
            }
            return "running";
        }
        if (s.removalInProgress) {
            return "removing";
        }
        if (s.dead) {
            return "dead";
        }
        if (Times.isZero(s.startedAt)) {
            return "created";
        }
        return "exited";
    }

    /** "Up 3 seconds", "Exited (0) 2 minutes ago", "Created", "Up 2 minutes (healthy)", "Up 1 second (Paused)". */
    public static String status(ContainerRecord.StateRecord s, Instant now) {
        if (s.running) {
            Duration up = since(s.startedAt, now);
            if (s.paused) {
                return "Up " + HumanUnits.humanDuration(up) + " (Paused)";
            }
            if (s.restarting) {
                return "Restarting (" + s.exitCode + ") " + HumanUnits.humanDuration(since(s.finishedAt, now)) + " ago";
            }
            if (s.health != null) {
                String h = "starting".equals(s.health.status) ? "health: starting" : s.health.status;
                return "Up " + HumanUnits.humanDuration(up) + " (" + h + ")";
            }
            return "Up " + HumanUnits.humanDuration(up);
        }
        if (s.removalInProgress) {
            return "Removal In Progress";
        }
        if (s.dead) {
            return "Dead";
        }
        if (Times.isZero(s.startedAt)) {
            return "Created";
        }
        if (Times.isZero(s.finishedAt)) {
            return "";
        }
        return "Exited (" + s.exitCode + ") " + HumanUnits.humanDuration(since(s.finishedAt, now)) + " ago";
    }

    private static Duration since(String t, Instant now) {
        Instant i = Times.parse(t);
        if (i == null || now.isBefore(i)) {
            return Duration.ZERO;
        }
        return Duration.between(i, now);
    }

    /** The Command column: path plus args, args with spaces single-quoted (the CLI adds the outer quotes). */
    public static String command(String path, List<String> args) {
        if (args == null || args.isEmpty()) {
            return path;
        }
        StringBuilder sb = new StringBuilder(path);
        for (String a : args) {
            sb.append(' ');
            sb.append(a.contains(" ") ? "'" + a + "'" : a);
        }
        return sb.toString();
    }
}
