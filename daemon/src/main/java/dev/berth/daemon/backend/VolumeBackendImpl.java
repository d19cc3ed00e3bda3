package dev.berth.daemon.backend;

import dev.berth.api.backend.VolumeBackend;
import dev.berth.api.model.PruneReport;
import dev.berth.api.model.Volume;
import dev.berth.api.model.VolumeCreateRequest;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Filters;
import dev.berth.common.Ids;
import dev.berth.daemon.events.EventPublisher;
import dev.berth.volume.VolumeService;
import dev.berth.volume.VolumeService.VolumeInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link VolumeBackend} over the {@link VolumeService}: reference counts come from the containers
 * ({@link ContainerUsage}); a volume used by any container (running or not) cannot be removed;
 * prune removes unused anonymous volumes, or all unused ones with the {@code all=true} filter
 * (Docker 23+). Thread-safe.
 */
public final class VolumeBackendImpl implements VolumeBackend {
    private static final Set<String> LIST_KEYS = Set.of("dangling", "driver", "label", "name");
    private static final Set<String> PRUNE_KEYS = Set.of("label", "label!", "all");

    private final VolumeService volumes;
    private final ContainerUsage usage;
    private final EventPublisher events;

    public VolumeBackendImpl(VolumeService volumes, ContainerUsage usage, EventPublisher events) {
        this.volumes = volumes;
        this.usage = usage;
        this.events = events;
    }

    @Override
    public Volume create(VolumeCreateRequest request) {
        // Unnamed volumes made through the API get a random name but are not "anonymous" (that
        // label is for volumes a container creates for an image VOLUME), as in dockerd.
        String name = request.name() == null || request.name().isEmpty() ? Ids.newId() : request.name();
        boolean existed = volumes.find(name).isPresent();
        VolumeInfo v = volumes.create(name, request.driver(), request.driverOpts(), request.labels());
        if (!existed) {
            events.publish("volume", "create", v.name(), Map.of("driver", v.driver()));
        }
        return toApi(v, null);
    }

    @Override
    public List<Volume> list(Filters filters) {
        Filters f = (filters == null ? Filters.NONE : filters).validate(LIST_KEYS);
        Boolean dangling = f.has("dangling") ? ImageFilters.parseBool(f.get("dangling")) : null;
        Map<String, Integer> refs = dangling == null ? Map.of() : refCounts();
        List<Volume> out = new ArrayList<>();
        for (VolumeInfo v : volumes.list()) {
            if (dangling != null && dangling == refs.containsKey(v.name())) {
                continue;
            }
            if (!f.get("driver").isEmpty() && !f.get("driver").contains(v.driver())) {
                continue;
            }
            if (!f.get("name").isEmpty() && f.get("name").stream().noneMatch(n -> v.name().contains(n))) {
                continue;
            }
            if (!ImageFilters.labelsMatch(f, v.labels())) {
                continue;
            }
            out.add(toApi(v, null));
        }
        return out;
    }

    @Override
    public Volume inspect(String name) {
        return toApi(volumes.get(name), null);
    }

    @Override
    public void remove(String name, boolean force) {
        VolumeInfo v;
        try {
            v = volumes.get(name);
        } catch (BerthException e) {
            if (force && e.kind() == ErrorKind.NOT_FOUND) {
                return;
            }
            throw e;
        }
        List<String> users = usage.containersUsingVolume(v.name());
        if (!users.isEmpty()) {
            throw BerthException.conflict("remove %s: volume is in use - [%s]", name, String.join(" ", users));
        }
        volumes.remove(v.name());
        events.publish("volume", "destroy", v.name(), Map.of("driver", v.driver()));
    }

    @Override
    public PruneReport prune(Filters filters) {
        Filters f = (filters == null ? Filters.NONE : filters).validate(PRUNE_KEYS);
        boolean all = f.has("all") && ImageFilters.parseBool(f.get("all"));
        Map<String, Integer> refs = refCounts();
        List<Object> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (VolumeInfo v : volumes.list()) {
            if (refs.containsKey(v.name()) || (!all && !v.anonymous()) || !ImageFilters.labelsMatch(f, v.labels())) {
                continue;
            }
            long size = volumes.size(v.name());
            try {
                volumes.remove(v.name());
            } catch (BerthException e) {
                continue;
            }
            deleted.add(v.name());
            reclaimed += Math.max(0, size);
            events.publish("volume", "destroy", v.name(), Map.of("driver", v.driver()));
        }
        events.publish("volume", "prune", "", Map.of("reclaimed", Long.toString(reclaimed)));
        return new PruneReport(deleted, reclaimed);
    }

    /** Volumes with sizes and reference counts, for {@code GET /system/df}. */
    public List<Volume> usage() {
        Map<String, Integer> refs = refCounts();
        List<Volume> out = new ArrayList<>();
        for (VolumeInfo v : volumes.list()) {
            out.add(toApi(v, new Volume.UsageData(volumes.size(v.name()), refs.getOrDefault(v.name(), 0))));
        }
        return out;
    }

    private Map<String, Integer> refCounts() {
        Map<String, Integer> refs = new HashMap<>();
        for (var c : usage.containers()) {
            if (c.mounts() == null) {
                continue;
            }
            c.mounts().stream().filter(m -> "volume".equals(m.type()) && m.name() != null).map(m -> m.name()).distinct()
                    .forEach(n -> refs.merge(n, 1, Integer::sum));
        }
        return refs;
    }

    static Volume toApi(VolumeInfo v, Volume.UsageData usageData) {
        return new Volume(v.name(), v.driver(), v.mountpoint().toString(), v.createdAt(), null,
                v.labels(), "local", v.options().isEmpty() ? null : v.options(), usageData);
    }
}
