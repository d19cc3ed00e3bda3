package dev.berth.server;

import dev.berth.api.backend.VolumeBackend;
import dev.berth.api.model.VolumeCreateRequest;
import dev.berth.http.Router;
import java.util.List;
import java.util.Map;

/** {@code /volumes/...}. */
final class VolumeRouter {
    private final VolumeBackend backend;

    VolumeRouter(VolumeBackend backend) {
        this.backend = backend;
    }

    void register(Router r) {
        r.get("/volumes", ex -> ex.respondJson(200, Map.of("Volumes", backend.list(Params.filters(ex)), "Warnings", List.of())));
        r.post("/volumes/create", ex -> {
            VolumeCreateRequest req = ex.readJson(VolumeCreateRequest.class);
            if (req == null) {
                req = new VolumeCreateRequest(null, null, null, null);
            }
            ex.respondJson(201, backend.create(req));
        });
        r.post("/volumes/prune", ex -> ex.respondJson(200,
                ContainerRouter.pruneBody("VolumesDeleted", backend.prune(Params.filters(ex)))));
        r.get("/volumes/{name}", ex -> ex.respondJson(200, InspectShape.volume(backend.inspect(ex.pathParam("name")))));
        r.delete("/volumes/{name}", ex -> {
            backend.remove(ex.pathParam("name"), ex.queryBool("force", false));
            ex.respond(204);
        });
    }
}
