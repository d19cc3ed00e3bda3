package dev.berth.server;

import dev.berth.api.backend.ExecBackend;
import dev.berth.api.backend.OutputSink;
import dev.berth.api.model.ExecCreateRequest;
import dev.berth.common.BerthException;
import dev.berth.http.HttpExchange;
import dev.berth.http.Hijacked;
import dev.berth.http.Router;
import java.io.IOException;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code POST /containers/{name}/exec} and {@code /exec/{id}/...}. */
final class ExecRouter {
    private final ExecBackend backend;

    ExecRouter(ExecBackend backend) {
        this.backend = backend;
    }

    void register(Router r) {
        r.post("/containers/{name}/exec", this::create);
        r.post("/exec/{id}/start", this::start);
        r.post("/exec/{id}/resize", ex -> {
            backend.resize(ex.pathParam("id"), Params.requiredInt(ex, "h"), Params.requiredInt(ex, "w"));
            ex.respond(200);
        });
        r.get("/exec/{id}/json", ex -> ex.respondJson(200, backend.inspect(ex.pathParam("id"))));
    }

    private void create(HttpExchange ex) throws IOException {
        ExecCreateRequest req = ex.readJson(ExecCreateRequest.class);
        if (req == null || req.cmd() == null || req.cmd().isEmpty()) {
            throw BerthException.invalid("No exec command specified");
        }
        String id = backend.create(ex.pathParam("name"), req);
        ex.respondJson(201, Map.of("Id", id));
    }

    private void start(HttpExchange ex) throws IOException {
        String id = ex.pathParam("id");
        JsonNode body = ex.readJsonTree();
        boolean detach = bool(Params.child(body, "Detach"));
        Integer height = null;
        Integer width = null;
        JsonNode size = Params.child(body, "ConsoleSize");
        if (size != null && size.isArray() && size.size() == 2) {
            height = size.get(0).asInt();
            width = size.get(1).asInt();
        }
        boolean tty = backend.usesTty(id); // NOT_FOUND before the connection is taken over
        if (detach) {
            backend.start(id, tty, height, width, null);
            ex.respond(200);
            return;
        }
        boolean multiplexed = !tty && ex.apiVersion().atLeast("1.42");
        Hijacked conn = ex.hijack(multiplexed ? Streams.MULTIPLEXED_STREAM : Streams.RAW_STREAM);
        OutputSink sink = new Streams.FramedSink(conn.out(), !tty, conn::isClosed);
        try {
            backend.start(id, tty, height, width, new Streams.Hijack(conn.in(), sink));
        } catch (RuntimeException e) {
            // as dockerd's postContainerExecStart: the error text goes to the exec's STDOUT
            // (a stdout frame when multiplexed), so `docker exec -u nosuch c true` prints it and
            // exits with the exec's exit code (126), not "error from daemon in stream" and 1
            byte[] b = (e.getMessage() + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            try {
                sink.write(dev.berth.api.backend.StdStream.STDOUT, b, 0, b.length);
                sink.flush();
            } catch (IOException gone) {
                // the client left
            }
        }
    }

    private static boolean bool(JsonNode n) {
        return n != null && n.asBoolean(false);
    }
}
