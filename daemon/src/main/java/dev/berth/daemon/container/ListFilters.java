package dev.berth.daemon.container;

import dev.berth.api.model.ContainerSummary;
import dev.berth.common.BerthException;
import dev.berth.common.Filters;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code docker ps --filter}: id, name, label, status, exited, ancestor, before, since, volume,
 * network, health, publish, expose, is-task. Built once per list call; {@link #test} runs per
 * container. Stateless apart from the resolved before/since times.
 */
public final class ListFilters {
    static final Set<String> KEYS = Set.of("id", "name", "label", "status", "exited", "ancestor", "before", "since",
            "volume", "network", "health", "publish", "expose", "is-task");
    private static final Set<String> STATUSES = Set.of("created", "restarting", "running", "removing", "paused", "exited", "dead");
    private static final Set<String> HEALTH = Set.of("starting", "healthy", "unhealthy", "none");

    private final Filters f;
    private final Instant before;
    private final Instant since;
    private final Set<String> ancestorIds;

    /** What one container looks like to the filters. */
    public record Row(ContainerRecord rec, Collection<String> networks, Collection<ContainerSummary.Port> ports) {}

    /**
     * @param createdOf resolves a before/since container reference to its creation time (NOT_FOUND if unknown)
     * @param imageIdsOf resolves an ancestor reference to image ids (empty if unknown)
     */
    public ListFilters(Filters filters, Function<String, Instant> createdOf, Function<String, Set<String>> imageIdsOf) {
        this.f = filters.validate(KEYS);
        for (String s : f.get("status")) {
            if (!STATUSES.contains(s)) {
                throw BerthException.invalid("invalid filter 'status=%s'", s);
            }
        }
        for (String s : f.get("health")) {
            if (!HEALTH.contains(s)) {
                throw BerthException.invalid("invalid filter 'health=%s'", s);
            }
        }
        for (String s : f.get("exited")) {
            try {
                Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw BerthException.invalid("invalid filter 'exited=%s'", s);
            }
        }
        this.before = f.get("before").stream().map(createdOf).min(Instant::compareTo).orElse(null);
        this.since = f.get("since").stream().map(createdOf).max(Instant::compareTo).orElse(null);
        java.util.HashSet<String> ids = new java.util.HashSet<>();
        for (String a : f.get("ancestor")) {
            ids.addAll(imageIdsOf.apply(a));
        }
        this.ancestorIds = ids;
    }

    /** Whether the filters ask for non-running containers too (status/exited/before/since imply all). */
    public boolean impliesAll() {
        return f.has("status") || f.has("exited") || f.has("before") || f.has("since");
    }

    public boolean test(Row row) {
        ContainerRecord r = row.rec();
        if (f.has("id") && f.get("id").stream().noneMatch(r.id::startsWith)) {
            return false;
        }
        if (f.has("name") && f.get("name").stream().noneMatch(n -> regexFind(n, r.name) || regexFind(n, r.shortName()))) {
            return false;
        }
        if (f.has("label") && !f.get("label").stream().allMatch(l -> labelMatch(l, r.config.labels()))) {
            return false;
        }
        String state = StatusText.state(r.state);
        if (f.has("status") && !f.get("status").contains(state)) {
            return false;
        }
        if (f.has("exited")) {
            if (r.state.running || Times.isZero(r.state.startedAt)) {
                return false;
            }
            if (f.get("exited").stream().noneMatch(e -> Integer.parseInt(e) == r.state.exitCode)) {
                return false;
            }
        }
        if (f.has("ancestor") && !ancestorIds.contains(r.imageId)) {
            return false;
        }
        Instant created = Times.parse(r.created);
        if (before != null && (created == null || !created.isBefore(before))) {
            return false;
        }
        if (since != null && (created == null || !created.isAfter(since))) {
            return false;
        }
        if (f.has("volume") && f.get("volume").stream().noneMatch(v -> r.mounts.stream()
                .anyMatch(m -> v.equals(m.source()) || v.equals(m.destination())))) {
            return false;
        }
        if (f.has("network") && f.get("network").stream().noneMatch(n -> row.networks().contains(n))) {
            return false;
        }
        if (f.has("health")) {
            String h = r.state.health == null ? "none" : r.state.health.status;
            if (!f.get("health").contains(h)) {
                return false;
            }
        }
        if (f.has("publish") && f.get("publish").stream().noneMatch(p -> row.ports().stream()
                .anyMatch(x -> x.publicPort() != null && portMatch(p, x.publicPort(), x.type())))) {
            return false;
        }
        if (f.has("expose") && f.get("expose").stream().noneMatch(p -> exposed(r).stream()
                .anyMatch(x -> portMatch(p, Integer.parseInt(x.substring(0, x.indexOf('/'))), x.substring(x.indexOf('/') + 1))))) {
            return false;
        }
        if (f.has("is-task") && f.get("is-task").contains("true")) {
            return false; // no swarm tasks in Berth
        }
        return true;
    }

    private static Collection<String> exposed(ContainerRecord r) {
        return r.config.exposedPorts() == null ? Set.of() : r.config.exposedPorts().keySet();
    }

    static boolean portMatch(String filter, int port, String proto) {
        String p = filter;
        String wantProto = "tcp";
        int slash = p.indexOf('/');
        if (slash >= 0) {
            wantProto = p.substring(slash + 1);
            p = p.substring(0, slash);
        }
        if (!wantProto.equals(proto)) {
            return false;
        }
        try {
            int dash = p.indexOf('-');
            if (dash > 0) {
                return port >= Integer.parseInt(p.substring(0, dash)) && port <= Integer.parseInt(p.substring(dash + 1));
            }
            return port == Integer.parseInt(p);
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid port: %s", filter);
        }
    }

    static boolean labelMatch(String filter, Map<String, String> labels) {
        if (labels == null) {
            return false;
        }
        int eq = filter.indexOf('=');
        if (eq < 0) {
            return labels.containsKey(filter);
        }
        return filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }

    static boolean regexFind(String pattern, String value) {
        try {
            return Pattern.compile(pattern).matcher(value).find();
        } catch (PatternSyntaxException e) {
            return value.equals(pattern);
        }
    }
}
