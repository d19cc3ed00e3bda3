package dev.berth.logger;

/**
 * One chunk of container output as the log keeps it: a whole line ending in '\n', or a partial
 * line (no trailing newline) when the producer split a long line or the output ended without one.
 *
 * @param timeNanos when the output was read from the container, nanoseconds since the epoch (UTC)
 * @param stderr    true for the container's stderr, false for stdout (with a TTY everything is stdout)
 * @param data      the raw bytes; not copied, callers must not modify the array afterwards
 * @param attrs     the line's attributes (the {@code labels}/{@code env} log options), as read back from
 *                  the log; empty when written or when there are none
 */
public record LogMessage(long timeNanos, boolean stderr, byte[] data, java.util.Map<String, String> attrs) {
    public LogMessage(long timeNanos, boolean stderr, byte[] data) {
        this(timeNanos, stderr, data, java.util.Map.of());
    }

    public boolean partial() {
        return data.length == 0 || data[data.length - 1] != '\n';
    }
}
