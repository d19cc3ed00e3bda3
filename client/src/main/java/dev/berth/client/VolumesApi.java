package dev.berth.client;

import dev.berth.api.model.Volume;
import dev.berth.api.model.VolumeCreateRequest;
import dev.berth.common.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Volume endpoints. Thread-safe (stateless over the client). */
public final class VolumesApi {
    private final BerthClient c;

    VolumesApi(BerthClient c) {
        this.c = c;
    }

    public Volume create(VolumeCreateRequest request) {
        return c.json("POST", "/volumes/create", null, request, Volume.class);
    }

    public List<Volume> list(Map<String, ? extends Collection<String>> filters) {
        JsonNode root = c.tree("GET", "/volumes", Query.of().filters(filters));
        List<Volume> out = new ArrayList<>();
        JsonNode vols = root.get("Volumes");
        if (vols != null && vols.isArray()) {
            vols.forEach(v -> out.add(Json.mapper().treeToValue(v, Volume.class)));
        }
        return out;
    }

    public Volume inspect(String name) {
        return c.json("GET", "/volumes/" + name, null, null, Volume.class);
    }

    public void remove(String name, boolean force) {
        c.exchange("DELETE", "/volumes/" + name, Query.of().add("force", force), null);
    }

    /** {@code POST /volumes/prune}: {@code {"VolumesDeleted":[…],"SpaceReclaimed":N}}. */
    public JsonNode prune(Map<String, ? extends Collection<String>> filters) {
        return c.tree("POST", "/volumes/prune", Query.of().filters(filters));
    }
}
