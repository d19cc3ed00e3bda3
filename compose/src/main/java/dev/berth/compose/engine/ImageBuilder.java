package dev.berth.compose.engine;

import dev.berth.api.model.JsonMessage;
import dev.berth.client.BerthClient;
import dev.berth.client.HttpResponse;
import dev.berth.client.JsonStream;
import dev.berth.client.Query;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Json;
import dev.berth.compose.loader.Project;
import dev.berth.compose.loader.Values;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code build:} of a service through the engine's classic builder ({@code POST /build}): the
 * context directory is streamed as a tar (honouring simple {@code .dockerignore} entries) with
 * dockerfile, args, target and labels as query parameters; the image is tagged
 * {@code image:} or {@code <project>-<service>}. Build output goes to the progress stream.
 */
final class ImageBuilder {
    private final BerthClient client;
    private final Progress progress;

    ImageBuilder(BerthClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
    }

    void build(Project p, String service, Map<String, Object> svc) {
        Map<String, Object> b = Values.map(svc, "build");
        String context = Values.str(b.get("context"));
        if (context.contains("://")) {
            throw new BerthException(ErrorKind.NOT_IMPLEMENTED, "remote build contexts are not supported by berth compose: " + context);
        }
        Path dir = Path.of(context);
        if (!Files.isDirectory(dir)) {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "build context " + dir + " of service " + service + " is not a directory");
        }
        String tag = ContainerBody.image(p, service, svc);
        progress.event("Service", service, "Building");
        Query q = Query.of().add("t", tag).add("dockerfile", Values.str(b.getOrDefault("dockerfile", "Dockerfile")))
                .add("target", Values.str(b.get("target")));
        Map<String, Object> args = Values.map(b, "args");
        if (!args.isEmpty()) {
            q.add("buildargs", Json.mapper().writeValueAsString(ProjectResources.strings(args)));
        }
        Map<String, Object> labels = Values.map(b, "labels");
        if (!labels.isEmpty()) {
            q.add("labels", Json.mapper().writeValueAsString(ProjectResources.strings(labels)));
        }
        if (Values.bool(b.get("no_cache"))) {
            q.add("nocache", true);
        }
        List<String> ignore = readIgnore(dir);
        try (PipedInputStream in = new PipedInputStream(256 * 1024); PipedOutputStream out = new PipedOutputStream(in)) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try (out; TarWriter tar = new TarWriter(out)) {
                    tar.addTree(dir, ignore);
                } catch (IOException e) {
                    // the reader sees a truncated tar and the engine reports it
                }
            });
            List<String> errors = new ArrayList<>();
            try (HttpResponse r = client.rawCall("POST", "/v" + client.apiVersion() + "/build" + q,
                    Map.of("Content-Type", "application/x-tar"), in)) {
                if (r.status() >= 400) {
                    throw new BerthException(ErrorKind.INVALID_ARGUMENT, "failed to build " + service + ": "
                            + new String(r.readAll(), java.nio.charset.StandardCharsets.UTF_8).strip());
                }
                JsonStream.forEach(r.body(), JsonMessage.class, m -> {
                    if (m.error() != null) {
                        errors.add(m.error());
                    } else if (m.stream() != null) {
                        progress.line(("#" + service + " " + m.stream()).stripTrailing());
                    }
                    return true;
                });
            }
            writer.join();
            if (!errors.isEmpty()) {
                throw new BerthException(ErrorKind.INVALID_ARGUMENT, "failed to build " + service + ": " + errors.getFirst());
            }
        } catch (IOException e) {
            throw new BerthException(ErrorKind.UNAVAILABLE, "sending build context: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorKind.UNAVAILABLE, "interrupted", e);
        }
        progress.event("Service", service, "Built");
    }

    private static List<String> readIgnore(Path dir) throws BerthException {
        Path f = dir.resolve(".dockerignore");
        if (!Files.isRegularFile(f)) {
            return List.of();
        }
        try {
            return Files.readAllLines(f).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
