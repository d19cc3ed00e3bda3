package dev.berth.daemon.container;

import dev.berth.common.BerthException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory set of containers with Docker's lookup: full id, name (with or without slash),
 * then unique id prefix. Thread-safe.
 */
public final class ContainerIndex {
    private final ConcurrentHashMap<String, Container> byId = new ConcurrentHashMap<>();
    private final NameRegistry names;

    public ContainerIndex(NameRegistry names) {
        this.names = names;
    }

    public NameRegistry names() {
        return names;
    }

    public void add(Container c) {
        byId.put(c.id(), c);
    }

    public void remove(String id) {
        byId.remove(id);
    }

    public Collection<Container> all() {
        return byId.values();
    }

    /** NOT_FOUND "No such container: x" when absent; ambiguous prefixes are INVALID_ARGUMENT. */
    public Container get(String nameOrId) {
        Container c = find(nameOrId);
        if (c == null) {
            throw BerthException.notFound("No such container: %s", nameOrId);
        }
        return c;
    }

    public Container find(String nameOrId) {
        if (nameOrId == null || nameOrId.isEmpty()) {
            return null;
        }
        Container c = byId.get(nameOrId);
        if (c != null) {
            return c;
        }
        String byName = names.lookup(nameOrId);
        if (byName != null && byId.containsKey(byName)) {
            return byId.get(byName);
        }
        if (nameOrId.startsWith("/")) {
            return null;
        }
        List<Container> matches = new ArrayList<>();
        for (Container x : byId.values()) {
            if (x.id().startsWith(nameOrId)) {
                matches.add(x);
            }
        }
        if (matches.size() > 1) {
            throw BerthException.invalid("multiple IDs found with provided prefix: %s", nameOrId);
        }
        return matches.isEmpty() ? null : matches.getFirst();
    }
}
