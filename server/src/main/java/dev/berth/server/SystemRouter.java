package dev.berth.server;

import dev.berth.api.backend.SystemBackend;
import dev.berth.http.HttpExchange;
import dev.berth.http.Router;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code /_ping}, {@code /version}, {@code /info}, {@code /events}, {@code /system/df}. */
final class SystemRouter {
    private final SystemBackend backend;

    SystemRouter(SystemBackend backend) {
        this.backend = backend;
    }

    void register(Router r) {
        r.get("/_ping", this::ping);
        r.head("/_ping", this::ping);
        r.get("/version", ex -> ex.respondJson(200, backend.version()));
        r.get("/info", ex -> ex.respondJson(200, backend.info()));
        r.get("/events", this::events);
        r.get("/system/df", ex -> ex.respondJson(200, backend.diskUsage()));
    }

    private void ping(HttpExchange ex) {
        ex.setHeader("Builder-Version", "1");
        ex.setHeader("Swarm", "inactive");
        ex.setHeader("Cache-Control", "no-cache, no-store, must-revalidate");
        ex.setHeader("Pragma", "no-cache");
        ex.respondBytes(200, "text/plain; charset=utf-8", "OK".getBytes(StandardCharsets.US_ASCII));
    }

    private void events(HttpExchange ex) throws IOException {
        double since = Params.timestamp(ex, "since");
        double until = Params.timestamp(ex, "until");
        var filters = Params.filters(ex);
        Streams.JsonLines sink = new Streams.JsonLines(ex);
        sink.start(); // headers at once: the client waits for them before it shows anything
        backend.events(since, until, filters, sink);
    }
}
