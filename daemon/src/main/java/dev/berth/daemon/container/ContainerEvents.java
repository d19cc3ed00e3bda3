package dev.berth.daemon.container;

import dev.berth.daemon.events.EventPublisher;
import java.util.LinkedHashMap;
import java.util.Map;

/** Publishes container events with Docker's attributes: the container's labels, {@code image}, {@code name}, plus extras. */
final class ContainerEvents {
    private final EventPublisher publisher;

    ContainerEvents(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** A container event not about one container (e.g. prune). */
    void publishRaw(String action, Map<String, String> attrs) {
        try {
            publisher.publish("container", action, "", attrs);
        } catch (RuntimeException e) {
            System.getLogger("berth.container").log(System.Logger.Level.WARNING, "event publish failed: " + e);
        }
    }

    void emit(ContainerRecord rec, String action) {
        emit(rec, action, Map.of());
    }

    void emit(ContainerRecord rec, String action, Map<String, String> extra) {
        Map<String, String> attrs = new LinkedHashMap<>();
        if (rec.config != null && rec.config.labels() != null) {
            attrs.putAll(rec.config.labels());
        }
        attrs.put("image", rec.config == null || rec.config.image() == null ? rec.imageId : rec.config.image());
        attrs.put("name", rec.shortName());
        attrs.putAll(extra);
        try {
            publisher.publish("container", action, rec.id, attrs);
        } catch (RuntimeException e) {
            System.getLogger("berth.container").log(System.Logger.Level.WARNING, "event publish failed: " + e);
        }
    }
}
