package dev.berth.server;

import dev.berth.api.backend.BuildBackend;
import dev.berth.api.backend.CommitBackend;
import dev.berth.api.model.ContainerConfig;
import dev.berth.common.BerthException;
import dev.berth.common.Json;
import dev.berth.http.HttpExchange;
import dev.berth.http.Router;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /build} (classic builder), {@code POST /build/prune}, {@code POST /commit} and
 * {@code GET /containers/{name}/changes}. Register through {@link ApiServer}'s extra routes so
 * that these take precedence over the built-in "not supported" answers:
 * {@code r -> BuildRouter.register(r, commitBackend, buildBackend)}. Stateless.
 */
public final class BuildRouter {
    private final CommitBackend commits;
    private final BuildBackend builds;

    private BuildRouter(CommitBackend commits, BuildBackend builds) {
        this.commits = commits;
        this.builds = builds;
    }

    /** Adds the routes; either backend may be null to leave its routes to the built-ins. */
    public static void register(Router r, CommitBackend commits, BuildBackend builds) {
        BuildRouter br = new BuildRouter(commits, builds);
        if (builds != null) {
            r.post("/build", br::build);
            r.post("/build/prune", ex -> ex.respondJson(200,
                    Map.of("CachesDeleted", List.of(), "SpaceReclaimed", builds.prune())));
        }
        if (commits != null) {
            r.post("/commit", br::commit);
            r.get("/containers/{name}/changes", ex -> ex.respondJson(200, commits.changes(ex.pathParam("name"))));
        }
    }

    private void build(HttpExchange ex) throws IOException {
        String version = ex.query("version");
        if (version != null && !version.isEmpty() && !version.equals("1")) {
            if (version.equals("2")) {
                throw BerthException.invalid("buildkit not supported by daemon");
            }
            throw BerthException.invalid("unsupported builder version %s", version);
        }
        // remote=<git URL | http(s) URL> (docker-py's remote=, berth build URL) is passed on in the
        // query: the backend fetches that context and ignores the body, as dockerd does
        Streams.JsonLines sink = new Streams.JsonLines(ex);
        builds.build(ex.body(), ex.queryParams(), ex.header("X-Registry-Config"), sink);
        if (!sink.started()) {
            sink.start();
        }
    }

    private void commit(HttpExchange ex) throws IOException {
        String container = Params.required(ex.query("container"), "container");
        ContainerConfig cfg = null;
        byte[] body = ex.body().readAllBytes();
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (!text.isEmpty() && !text.equals("null")) {
            try {
                cfg = Json.mapper().readValue(body, ContainerConfig.class);
            } catch (RuntimeException e) {
                throw BerthException.invalid("invalid JSON body: %s", e.getMessage());
            }
        }
        String id = commits.commit(container, emptyToNull(ex.query("repo")), emptyToNull(ex.query("tag")),
                emptyToNull(ex.query("comment")), emptyToNull(ex.query("author")), ex.queryBool("pause", true),
                ex.queryAll("changes"), cfg);
        ex.respondJson(201, Map.of("Id", id));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
