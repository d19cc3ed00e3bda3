package dev.berth.compose.engine;

import dev.berth.client.TarExtractor;
import dev.berth.client.BerthClient;
import dev.berth.client.HttpResponse;
import dev.berth.client.Query;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Json;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code compose cp}: copies between a container and the host through the archive endpoints
 * ({@code GET/HEAD/PUT /containers/{id}/archive}) with docker cp's naming rules: into an existing
 * directory the source keeps its name, otherwise it takes the destination's name.
 */
public final class Copier {
    private final BerthClient client;

    public Copier(BerthClient client) {
        this.client = client;
    }

    private String path(String id, String containerPath) {
        return "/v" + client.apiVersion() + "/containers/" + id + "/archive" + Query.of().add("path", containerPath);
    }

    /** Container → host. */
    public void fromContainer(String id, String src, Path dest) {
        try (HttpResponse r = client.rawCall("GET", path(id, src), Map.of(), null)) {
            if (r.status() >= 400) {
                throw new BerthException(r.status() == 404 ? ErrorKind.NOT_FOUND : ErrorKind.INVALID_ARGUMENT,
                        "Could not find the file " + src + " in container " + id.substring(0, Math.min(12, id.length())));
            }
            Path abs = dest.toAbsolutePath().normalize();
            if (Files.isDirectory(abs)) {
                TarExtractor.extract(r.body(), abs, null, null);
            } else {
                if (abs.getParent() == null || !Files.isDirectory(abs.getParent())) {
                    throw new BerthException(ErrorKind.INVALID_ARGUMENT, "invalid output path: directory " + abs.getParent() + " does not exist");
                }
                TarExtractor.extract(r.body(), abs.getParent(), TarExtractor.archiveTopName(src), abs.getFileName().toString());
            }
        } catch (IOException e) {
            throw new BerthException(ErrorKind.INTERNAL, "copying from container: " + e.getMessage(), e);
        }
    }

    /** Host → container. */
    public void toContainer(Path src, String id, String dest) {
        if (!Files.exists(src)) {
            throw new BerthException(ErrorKind.NOT_FOUND, "stat " + src + ": no such file or directory");
        }
        String dir;
        String name;
        JsonNode stat = stat(id, dest);
        if (stat != null && (stat.path("mode").asLong() & (1L << 31)) != 0) {
            dir = dest;
            name = src.toAbsolutePath().normalize().getFileName().toString();
        } else {
            int slash = dest.lastIndexOf('/');
            dir = slash <= 0 ? "/" : dest.substring(0, slash);
            name = dest.substring(slash + 1);
        }
        try (PipedInputStream in = new PipedInputStream(256 * 1024); PipedOutputStream out = new PipedOutputStream(in)) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try (out; TarWriter tar = new TarWriter(out)) {
                    tar.addAs(src, name);
                } catch (IOException ignored) {
                    // the engine sees a truncated archive and reports it
                }
            });
            try (HttpResponse r = client.rawCall("PUT", path(id, dir), Map.of("Content-Type", "application/x-tar"), in)) {
                if (r.status() >= 400) {
                    throw new BerthException(ErrorKind.INVALID_ARGUMENT, "Error response from daemon: "
                            + new String(r.readAll(), StandardCharsets.UTF_8).strip());
                }
            }
            writer.join();
        } catch (IOException e) {
            throw new BerthException(ErrorKind.INTERNAL, "copying to container: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorKind.UNAVAILABLE, "interrupted", e);
        }
    }

    private JsonNode stat(String id, String p) {
        try (HttpResponse r = client.rawCall("HEAD", path(id, p), Map.of(), null)) {
            String h = r.header("X-Docker-Container-Path-Stat");
            if (r.status() >= 400 || h == null) {
                return null;
            }
            return Json.mapper().readTree(Base64.getDecoder().decode(h));
        }
    }
}
