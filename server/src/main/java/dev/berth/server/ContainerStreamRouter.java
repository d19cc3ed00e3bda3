package dev.berth.server;

import dev.berth.api.backend.ContainerBackend;
import dev.berth.api.backend.OutputSink;
import dev.berth.api.backend.StdStream;
import dev.berth.api.model.ContainerInspect;
import dev.berth.api.model.ContainerWaitResponse;
import dev.berth.common.BerthException;
import dev.berth.common.Json;
import dev.berth.http.HttpExchange;
import dev.berth.http.Router;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The streaming container endpoints: wait, logs, attach, stats, export. */
final class ContainerStreamRouter {
    private final ContainerBackend backend;

    ContainerStreamRouter(ContainerBackend backend) {
        this.backend = backend;
    }

    void register(Router r) {
        r.post("/containers/{name}/wait", this::waitFor);
        r.get("/containers/{name}/logs", this::logs);
        r.post("/containers/{name}/attach", this::attach);
        r.get("/containers/{name}/stats", this::stats);
        r.get("/containers/{name}/export", this::export);
    }

    /** Headers go out at once (the CLI blocks on them before it starts the container), the body when the condition is met. */
    private void waitFor(HttpExchange ex) throws IOException, InterruptedException {
        String condition = ex.query("condition");
        CompletableFuture<ContainerWaitResponse> future =
                backend.waitFor(ContainerRouter.name(ex), condition == null || condition.isEmpty() ? "not-running" : condition);
        OutputStream out = ex.respondStream(200, Streams.JSON);
        out.flush();
        ContainerWaitResponse result;
        while (true) {
            try {
                result = future.get(1, TimeUnit.SECONDS);
                break;
            } catch (TimeoutException e) {
                if (ex.isClientGone()) {
                    return; // nobody is waiting any more; the future stays with the backend
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                result = new ContainerWaitResponse(-1, new ContainerWaitResponse.WaitError(String.valueOf(cause.getMessage())));
                break;
            }
        }
        out.write(Json.mapper().writeValueAsBytes(result));
        out.write('\n');
        out.flush();
    }

    private static boolean multiplexed(HttpExchange ex, boolean tty) {
        // Framing follows the TTY; the multiplexed media type exists from API 1.42 on.
        return !tty && ex.apiVersion().atLeast("1.42");
    }

    private static boolean tty(ContainerInspect c) {
        return c.config() != null && c.config().tty();
    }

    private void logs(HttpExchange ex) throws IOException {
        boolean stdout = ex.queryBool("stdout", false);
        boolean stderr = ex.queryBool("stderr", false);
        if (!stdout && !stderr) {
            throw BerthException.invalid("Bad parameters: you must choose at least one stream");
        }
        String name = ContainerRouter.name(ex);
        boolean tty = tty(backend.inspect(name, false));
        String tail = ex.query("tail");
        var options = new ContainerBackend.LogsOptions(ex.queryBool("follow", false), stdout, stderr,
                Params.timestamp(ex, "since"), Params.timestamp(ex, "until"), ex.queryBool("timestamps", false),
                tail == null || tail.isEmpty() ? "all" : tail, ex.queryBool("details", false));
        Streams.LazyResponse out = new Streams.LazyResponse(ex, multiplexed(ex, tty) ? Streams.MULTIPLEXED_STREAM : Streams.RAW_STREAM);
        backend.logs(name, options, new Streams.FramedSink(out, !tty, ex::isClientGone));
        if (!out.started()) {
            out.flush(); // an empty log still gets a 200
        }
    }

    private void attach(HttpExchange ex) throws IOException {
        String name = ContainerRouter.name(ex);
        boolean tty = tty(backend.inspect(name, false)); // NOT_FOUND before the connection is taken over
        var options = new ContainerBackend.AttachOptions(ex.queryBool("stream", false), ex.queryBool("logs", false),
                ex.queryBool("stdin", false), ex.queryBool("stdout", false), ex.queryBool("stderr", false), ex.query("detachKeys"));
        var streams = new Streams.LazyHijack(ex, multiplexed(ex, tty) ? Streams.MULTIPLEXED_STREAM : Streams.RAW_STREAM,
                !tty, options.stdin());
        try {
            backend.attach(name, options, streams);
            streams.ready(); // a session with nothing to stream still completes the upgrade
        } catch (RuntimeException e) {
            if (!streams.upgraded()) {
                throw e; // nothing sent yet: an ordinary error response
            }
            reportInStream(streams.output(), !tty, "Error attaching: " + e.getMessage());
        }
    }

    /** After a hijack there is no status code left: errors travel as system-error frames (or text on a TTY). */
    static void reportInStream(OutputSink sink, boolean multiplexed, String message) {
        byte[] b = (message + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            sink.write(multiplexed ? StdStream.SYSTEMERR : StdStream.STDOUT, b, 0, b.length);
            sink.flush();
        } catch (IOException gone) {
            // the client left
        }
    }

    private void stats(HttpExchange ex) throws IOException {
        boolean stream = ex.queryBool("stream", true);
        Streams.JsonLines sink = new Streams.JsonLines(ex);
        backend.stats(ContainerRouter.name(ex), stream, ex.queryBool("one-shot", false), sink);
        if (!sink.started()) {
            sink.start();
        }
    }

    private void export(HttpExchange ex) throws IOException {
        Streams.LazyResponse out = new Streams.LazyResponse(ex, Streams.TAR);
        backend.export(ContainerRouter.name(ex), out);
        out.flush();
    }
}
