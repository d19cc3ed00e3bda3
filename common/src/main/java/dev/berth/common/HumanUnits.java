package dev.berth.common;

import java.time.Duration;

/**
 * Docker's human-readable durations (go-units {@code HumanDuration}), as {@code docker ps} shows
 * them in CREATED ("2 minutes") and STATUS ("Up About an hour"). The daemon's status text and the
 * CLI's tables must agree to the letter, so both use this one implementation. Stateless.
 */
public final class HumanUnits {
    private HumanUnits() {}

    /** go-units HumanDuration: "Less than a second", "1 second", "About a minute", "3 days", … */
    public static String humanDuration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = d.toMinutes();
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        // go-units rounds the fractional hours: int(d.Hours() + 0.5)
        long hours = Math.round(d.toMillis() / 3_600_000.0);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return hours / 24 / 365 + " years";
    }
}
