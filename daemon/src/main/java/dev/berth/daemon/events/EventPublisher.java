package dev.berth.daemon.events;

import java.util.Map;

/**
 * Where daemon components report what happened, for {@code GET /events}. Types and actions are
 * Docker's ("container"/"create", "start", "die" with exitCode, "destroy", "health_status: healthy",
 * "image"/"tag", "untag", "delete", "import", "load", "volume"/"create", "network"/"connect", …).
 * Attributes carry Docker's keys (name, image, exitCode, signal, and the container's labels).
 * Thread-safe; never blocks on slow subscribers.
 */
public interface EventPublisher {
    void publish(String type, String action, String actorId, Map<String, String> attributes);
}
