package dev.berth.daemon.events;

import dev.berth.api.model.Event;
import dev.berth.common.BerthException;
import dev.berth.common.Filters;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * dockerd's event filter ({@code daemon/events/filter.go}): all given keys must match. Object
 * filters (container, volume, network, daemon) match the actor's id or its {@code name} attribute
 * by prefix; {@code image} matches id or image name exactly (with or without tag); {@code event}
 * matches the action exactly, except that {@code health_status}, {@code exec_create} and
 * {@code exec_start} also match their {@code "…: detail"} forms; {@code label} entries
 * ({@code k} or {@code k=v}) must all match the attributes. Immutable and thread-safe.
 */
public record EventFilter(Filters filters) implements Predicate<Event> {
    public static final Set<String> KEYS = Set.of("container", "daemon", "event", "image", "label", "network", "type",
            "volume", "scope", "plugin", "node", "service", "secret", "config");
    private static final Set<String> FUZZY_EVENTS = Set.of("health_status", "exec_create", "exec_start");

    public EventFilter {
        filters.validate(KEYS);
    }

    public static EventFilter of(Filters filters) {
        return new EventFilter(filters == null ? Filters.NONE : filters);
    }

    @Override
    public boolean test(Event ev) {
        Map<String, String> attrs = ev.actor() == null || ev.actor().attributes() == null ? Map.of() : ev.actor().attributes();
        String id = ev.actor() == null ? "" : ev.actor().id();
        return matchEvent(ev.action())
                && exact("type", ev.type())
                && exact("scope", ev.scope())
                && objectMatch("daemon", id, attrs)
                && objectMatch("container", id, attrs)
                && objectMatch("plugin", id, attrs)
                && objectMatch("volume", id, attrs)
                && objectMatch("network", id, attrs)
                && matchImage(ev.type(), id, attrs)
                && objectMatch("node", id, attrs)
                && objectMatch("service", id, attrs)
                && objectMatch("secret", id, attrs)
                && objectMatch("config", id, attrs)
                && matchLabels(attrs);
    }

    private boolean matchEvent(String action) {
        Set<String> wanted = filters.get("event");
        if (wanted.isEmpty()) {
            return true;
        }
        if (wanted.stream().anyMatch(FUZZY_EVENTS::contains)) {
            return fuzzy("event", action);
        }
        return wanted.contains(action);
    }

    private boolean exact(String key, String source) {
        Set<String> wanted = filters.get(key);
        return wanted.isEmpty() || wanted.contains(source);
    }

    private boolean fuzzy(String key, String source) {
        Set<String> wanted = filters.get(key);
        if (wanted.isEmpty()) {
            return true;
        }
        if (source == null) {
            return false;
        }
        for (String w : wanted) {
            if (source.equals(w) || source.startsWith(w)) {
                return true;
            }
        }
        return false;
    }

    private boolean objectMatch(String key, String id, Map<String, String> attrs) {
        return fuzzy(key, id) || fuzzy(key, attrs.get("name"));
    }

    private boolean matchImage(String type, String id, Map<String, String> attrs) {
        Set<String> wanted = filters.get("image");
        if (wanted.isEmpty()) {
            return true;
        }
        String name = attrs.getOrDefault("image".equals(type) ? "name" : "image", "");
        return wanted.contains(id) || wanted.contains(name) || wanted.contains(stripTag(id)) || wanted.contains(stripTag(name));
    }

    private static String stripTag(String image) {
        if (image == null) {
            return "";
        }
        int at = image.indexOf('@');
        if (at >= 0) {
            return image.substring(0, at);
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(0, colon) : image;
    }

    private boolean matchLabels(Map<String, String> attrs) {
        Set<String> wanted = filters.get("label");
        if (wanted.isEmpty()) {
            return true;
        }
        for (String w : wanted) {
            int eq = w.indexOf('=');
            String k = eq >= 0 ? w.substring(0, eq) : w;
            String v = attrs.get(k);
            if (v == null || (eq >= 0 && !v.equals(w.substring(eq + 1)))) {
                return false;
            }
        }
        return true;
    }

    /** Validates filter keys with Docker's wording; for callers that want to fail before streaming. */
    static void check(Filters f) {
        if (f != null) {
            f.validate(KEYS);
        }
        if (f != null && f.has("type")) {
            for (String t : f.get("type")) {
                if (!Set.of("container", "image", "volume", "network", "daemon", "plugin", "node", "service", "secret", "config", "builder").contains(t)) {
                    throw BerthException.invalid("unknown event type: %s", t);
                }
            }
        }
    }
}
