package dev.berth.daemon.container;

import dev.berth.common.BerthException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Container names: Docker's validity rule, uniqueness and random names. Names are kept with the
 * leading slash. Thread-safe (synchronized; reservations are short).
 */
public final class NameRegistry {
    private static final Pattern VALID = Pattern.compile("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
    private final Map<String, String> idByName = new HashMap<>();
    private final NameGenerator generator;

    public NameRegistry(NameGenerator generator) {
        this.generator = generator;
    }

    /** Throws INVALID_ARGUMENT with Docker's message when {@code name} breaks the rule. */
    public static void validate(String name) {
        if (!VALID.matcher(name).matches()) {
            throw BerthException.invalid("Invalid container name (%s), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", name);
        }
    }

    public static String canonical(String name) {
        return name.startsWith("/") ? name : "/" + name;
    }

    /**
     * Reserves {@code requested} (validated) or a fresh random name for {@code id}; returns the
     * name with the slash. A name held by another container is CONFLICT with Docker's message.
     */
    public synchronized String reserve(String requested, String id) {
        if (requested == null || requested.isEmpty()) {
            for (int retry = 0; ; retry++) {
                String n = "/" + generator.next(retry > 5 ? 1 : 0);
                if (!idByName.containsKey(n)) {
                    idByName.put(n, id);
                    return n;
                }
            }
        }
        validate(requested);
        String n = canonical(requested);
        String holder = idByName.get(n);
        if (holder != null && !holder.equals(id)) {
            throw BerthException.conflict(
                    "Conflict. The container name \"%s\" is already in use by container \"%s\". You have to remove (or rename) that container to be able to reuse that name.",
                    n, holder);
        }
        idByName.put(n, id);
        return n;
    }

    public synchronized void release(String name) {
        idByName.remove(canonical(name));
    }

    public synchronized String lookup(String name) {
        return idByName.get(canonical(name));
    }
}
