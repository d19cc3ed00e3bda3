package dev.berth.server;

import dev.berth.api.backend.NetworkBackend;
import dev.berth.api.model.NetworkConnectRequest;
import dev.berth.api.model.NetworkCreateRequest;
import dev.berth.api.model.NetworkResource;
import dev.berth.api.model.PruneReport;
import dev.berth.common.BerthException;
import dev.berth.http.HttpExchange;
import dev.berth.http.Router;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /networks/...}. */
final class NetworkRouter {
    private final NetworkBackend backend;

    NetworkRouter(NetworkBackend backend) {
        this.backend = backend;
    }

    void register(Router r) {
        r.get("/networks", ex -> ex.respondJson(200, backend.list(Params.filters(ex))));
        r.post("/networks/create", this::create);
        r.post("/networks/prune", ex -> {
            PruneReport report = backend.prune(Params.filters(ex));
            ex.respondJson(200, Map.of("NetworksDeleted", report.deleted() == null ? List.of() : report.deleted()));
        });
        r.get("/networks/{id}", ex -> ex.respondJson(200, InspectShape.network(backend.inspect(ex.pathParam("id"), ex.queryBool("verbose", false)))));
        r.delete("/networks/{id}", ex -> {
            backend.remove(ex.pathParam("id"));
            ex.respond(204);
        });
        r.post("/networks/{id}/connect", ex -> {
            backend.connect(ex.pathParam("id"), connectBody(ex));
            ex.respond(200);
        });
        r.post("/networks/{id}/disconnect", ex -> {
            backend.disconnect(ex.pathParam("id"), connectBody(ex));
            ex.respond(200);
        });
    }

    private void create(HttpExchange ex) throws IOException {
        NetworkCreateRequest req = ex.readJson(NetworkCreateRequest.class);
        if (req == null) {
            throw BerthException.invalid("network create request cannot be empty");
        }
        NetworkResource created = backend.create(req);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Id", created.id());
        body.put("Warning", "");
        ex.respondJson(201, body);
    }

    private static NetworkConnectRequest connectBody(HttpExchange ex) throws IOException {
        NetworkConnectRequest req = ex.readJson(NetworkConnectRequest.class);
        if (req == null || req.container() == null || req.container().isEmpty()) {
            throw BerthException.invalid("container name or id is required");
        }
        return req;
    }
}
