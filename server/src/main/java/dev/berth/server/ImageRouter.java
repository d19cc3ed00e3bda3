package dev.berth.server;

import dev.berth.api.backend.ImageBackend;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.http.HttpExchange;
import dev.berth.http.Router;
import java.io.IOException;
import java.util.List;

/** {@code /images/...}. Specific routes come before the {@code {name:.+}} catch-alls. */
final class ImageRouter {
    private final ImageBackend backend;

    ImageRouter(ImageBackend backend) {
        this.backend = backend;
    }

    void register(Router r) {
        r.get("/images/json", ex -> ex.respondJson(200, backend.list(ex.queryBool("all", false), Params.filters(ex),
                ex.apiVersion().atLeast("1.47") && ex.queryBool("manifests", false))));
        r.post("/images/create", this::create);
        r.post("/images/load", ex -> Streams.progress(ex, sink -> backend.load(ex.body(), ex.queryBool("quiet", false), sink)));
        r.get("/images/get", ex -> save(ex, ex.queryAll("names")));
        r.post("/images/prune", ex -> ex.respondJson(200,
                ContainerRouter.pruneBody("ImagesDeleted", backend.prune(Params.filters(ex)))));
        r.get("/images/{name:.+}/json", ex -> ex.respondJson(200, InspectShape.image(backend.inspect(name(ex)), ex.apiVersion().atLeast("1.50"))));
        r.get("/images/{name:.+}/history", ex -> ex.respondJson(200, backend.history(name(ex))));
        r.get("/images/{name:.+}/get", ex -> save(ex, List.of(name(ex))));
        r.post("/images/{name:.+}/tag", ex -> {
            backend.tag(name(ex), Params.required(ex.query("repo"), "repository name"), emptyToNull(ex.query("tag")));
            ex.respond(201);
        });
        r.post("/images/{name:.+}/push", ex -> Streams.progress(ex, sink ->
                backend.push(name(ex), emptyToNull(ex.query("tag")), ex.header("X-Registry-Auth"), sink)));
        r.delete("/images/{name:.+}", ex -> ex.respondJson(200,
                backend.remove(name(ex), ex.queryBool("force", false), ex.queryBool("noprune", false))));
    }

    private static String name(HttpExchange ex) {
        return ex.pathParam("name");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private void create(HttpExchange ex) throws IOException {
        String fromImage = emptyToNull(ex.query("fromImage"));
        String fromSrc = emptyToNull(ex.query("fromSrc"));
        String tag = emptyToNull(ex.query("tag"));
        String platform = emptyToNull(ex.query("platform"));
        if (fromImage != null) {
            Streams.progress(ex, sink -> backend.pull(fromImage, tag, platform, ex.header("X-Registry-Auth"), sink));
        } else if ("-".equals(fromSrc)) {
            Streams.progress(ex, sink -> backend.importImage(ex.body(), emptyToNull(ex.query("repo")), tag,
                    ex.queryAll("changes"), emptyToNull(ex.query("message")), platform, sink));
        } else if (fromSrc != null) {
            throw new BerthException(ErrorKind.NOT_IMPLEMENTED, "importing from a URL is not supported; pipe the tarball with fromSrc=-");
        } else {
            throw BerthException.invalid("either fromImage or fromSrc must be given");
        }
    }

    private void save(HttpExchange ex, List<String> names) throws IOException {
        if (names.isEmpty()) {
            throw BerthException.invalid("no images named");
        }
        Streams.LazyResponse out = new Streams.LazyResponse(ex, Streams.TAR);
        backend.save(names, out);
        out.flush();
    }
}
