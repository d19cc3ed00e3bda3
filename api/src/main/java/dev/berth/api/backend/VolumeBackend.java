package dev.berth.api.backend;

import dev.berth.api.model.PruneReport;
import dev.berth.api.model.Volume;
import dev.berth.api.model.VolumeCreateRequest;
import dev.berth.common.Filters;
import java.util.List;

/** Volumes. Unknown ones are NOT_FOUND ("get <name>: no such volume"); in use is CONFLICT. */
public interface VolumeBackend {
    Volume create(VolumeCreateRequest request);

    List<Volume> list(Filters filters);

    Volume inspect(String name);

    void remove(String name, boolean force);

    PruneReport prune(Filters filters);
}
