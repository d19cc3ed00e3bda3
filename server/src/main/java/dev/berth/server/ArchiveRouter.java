package dev.berth.server;

import dev.berth.api.backend.ArchiveBackend;
import dev.berth.common.BerthException;
import dev.berth.common.Json;
import dev.berth.http.HttpExchange;
import dev.berth.http.Router;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code /containers/{name}/archive} ({@code docker cp}): HEAD stats a path into the
 * {@code X-Docker-Container-Path-Stat} header (base64 of the JSON stat), GET adds the tar body,
 * PUT extracts a tar body into a directory. Register it through {@link ApiServer}'s
 * {@code extraRoutes} so it takes precedence over the built-in 501 stubs:
 * {@code r -> new ArchiveRouter(backend).register(r)}.
 */
public final class ArchiveRouter {
    static final String STAT_HEADER = "X-Docker-Container-Path-Stat";
    private final ArchiveBackend backend;

    public ArchiveRouter(ArchiveBackend backend) {
        this.backend = backend;
    }

    public void register(Router r) {
        r.head("/containers/{name}/archive", ex -> {
            ArchiveBackend.PathStat st = backend.stat(ex.pathParam("name"), path(ex));
            ex.setHeader(STAT_HEADER, encode(st));
            ex.setHeader("Content-Type", "application/x-tar");
            ex.respond(200);
        });
        r.get("/containers/{name}/archive", ex -> backend.archive(ex.pathParam("name"), path(ex), st -> {
            ex.setHeader(STAT_HEADER, encode(st));
            return ex.respondStream(200, "application/x-tar");
        }));
        r.put("/containers/{name}/archive", ex -> {
            backend.extract(ex.pathParam("name"), path(ex), ex.body(), ex.queryBool("noOverwriteDirNonDir", false),
                    ex.queryBool("copyUIDGID", false));
            ex.respond(200);
        });
    }

    private static String path(HttpExchange ex) {
        String p = ex.query("path");
        if (p == null || p.isEmpty()) {
            throw BerthException.invalid("path is required"); // Docker: "bad parameter: path cannot be empty"
        }
        return p;
    }

    static String encode(ArchiveBackend.PathStat st) {
        byte[] json = Json.mapper().writeValueAsString(st).getBytes(StandardCharsets.UTF_8);
        return Base64.getEncoder().encodeToString(json);
    }
}
