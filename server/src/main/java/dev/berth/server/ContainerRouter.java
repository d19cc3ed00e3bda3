package dev.berth.server;

import dev.berth.api.backend.ContainerBackend;
import dev.berth.api.model.ContainerConfig;
import dev.berth.api.model.ContainerCreateRequest;
import dev.berth.api.model.ContainerUpdateRequest;
import dev.berth.api.model.HostConfig;
import dev.berth.api.model.IdResponse;
import dev.berth.api.model.NetworkingConfig;
import dev.berth.api.model.PruneReport;
import dev.berth.common.BerthException;
import dev.berth.http.HttpExchange;
import dev.berth.http.Router;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code /containers/...}: create, list, inspect and lifecycle. Streams are in {@link ContainerStreamRouter}. */
final class ContainerRouter {
    private final ContainerBackend backend;

    ContainerRouter(ContainerBackend backend) {
        this.backend = backend;
    }

    void register(Router r) {
        r.post("/containers/create", this::create);
        r.get("/containers/json", this::list);
        r.post("/containers/prune", this::prune);
        r.get("/containers/{name}/json", this::inspect);
        r.get("/containers/{name}/top", ex -> ex.respondJson(200, backend.top(name(ex), ex.query("ps_args"))));
        r.post("/containers/{name}/start", ex -> {
            backend.start(name(ex), ex.query("detachKeys"));
            ex.respond(204);
        });
        r.post("/containers/{name}/stop", ex -> {
            backend.stop(name(ex), ex.queryInt("t"), emptyToNull(ex.query("signal")));
            ex.respond(204);
        });
        r.post("/containers/{name}/restart", ex -> {
            backend.restart(name(ex), ex.queryInt("t"), emptyToNull(ex.query("signal")));
            ex.respond(204);
        });
        r.post("/containers/{name}/kill", ex -> {
            backend.kill(name(ex), emptyToNull(ex.query("signal")));
            ex.respond(204);
        });
        r.post("/containers/{name}/pause", ex -> {
            backend.pause(name(ex));
            ex.respond(204);
        });
        r.post("/containers/{name}/unpause", ex -> {
            backend.unpause(name(ex));
            ex.respond(204);
        });
        r.post("/containers/{name}/rename", ex -> {
            backend.rename(name(ex), Params.required(ex.query("name"), "new name"));
            ex.respond(204);
        });
        r.post("/containers/{name}/update", this::update);
        r.post("/containers/{name}/resize", ex -> {
            backend.resize(name(ex), Params.requiredInt(ex, "h"), Params.requiredInt(ex, "w"));
            ex.respond(200);
        });
        // {name:.+}: `docker rm --link /parent/alias` sends DELETE /containers//parent/alias?link=1
        r.delete("/containers/{name:.+}", ex -> {
            backend.remove(name(ex), ex.queryBool("force", false), ex.queryBool("v", false), ex.queryBool("link", false));
            ex.respond(204);
        });
    }

    static String name(HttpExchange ex) {
        return ex.pathParam("name");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private void create(HttpExchange ex) throws IOException {
        JsonNode body = ex.readJsonTree();
        if (body == null || !body.isObject()) {
            throw BerthException.invalid("config cannot be empty in order to create a container");
        }
        // One parse, three views: the Config fields, the embedded HostConfig and NetworkingConfig.
        ContainerConfig config = Params.convert(body, ContainerConfig.class);
        HostConfig hostConfig = Params.convert(Params.child(body, "HostConfig"), HostConfig.class);
        NetworkingConfig networking = Params.convert(Params.child(body, "NetworkingConfig"), NetworkingConfig.class);
        String name = ex.query("name");
        String platform = ex.query("platform");
        IdResponse id = backend.create(new ContainerCreateRequest(
                name == null || name.isEmpty() ? null : name, platform == null || platform.isEmpty() ? null : platform,
                config, hostConfig, networking));
        ex.respondJson(201, idBody(id));
    }

    static Map<String, Object> idBody(IdResponse id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", id.id());
        m.put("Warnings", id.warnings() == null ? List.of() : id.warnings());
        return m;
    }

    private void list(HttpExchange ex) {
        Integer limit = ex.queryInt("limit");
        ex.respondJson(200, backend.list(ex.queryBool("all", false), limit == null ? -1 : limit,
                ex.queryBool("size", false), Params.filters(ex)));
    }

    private void inspect(HttpExchange ex) {
        ex.respondJson(200, InspectShape.container(backend.inspect(name(ex), ex.queryBool("size", false))));
    }

    private void update(HttpExchange ex) throws IOException {
        HostConfig resources = ex.readJson(HostConfig.class);
        if (resources == null) {
            throw BerthException.invalid("update config cannot be empty");
        }
        List<String> warnings = backend.update(name(ex), new ContainerUpdateRequest(resources));
        ex.respondJson(200, Map.of("Warnings", warnings == null ? List.of() : warnings));
    }

    private void prune(HttpExchange ex) {
        PruneReport report = backend.prune(Params.filters(ex));
        ex.respondJson(200, pruneBody("ContainersDeleted", report));
    }

    static Map<String, Object> pruneBody(String field, PruneReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(field, report.deleted() == null ? List.of() : report.deleted());
        m.put("SpaceReclaimed", report.spaceReclaimed());
        return m;
    }
}
