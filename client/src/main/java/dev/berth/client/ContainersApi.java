package dev.berth.client;

import dev.berth.api.model.ContainerConfig;
import dev.berth.api.model.ContainerInspect;
import dev.berth.api.model.ContainerSummary;
import dev.berth.api.model.ContainerTop;
import dev.berth.api.model.ContainerWaitResponse;
import dev.berth.api.model.HostConfig;
import dev.berth.api.model.IdResponse;
import dev.berth.api.model.NetworkingConfig;
import dev.berth.common.Json;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Container endpoints. Thread-safe (stateless over the client). */
public final class ContainersApi {
    private final BerthClient c;

    ContainersApi(BerthClient c) {
        this.c = c;
    }

    /** {@code POST /containers/create}: the config with HostConfig and NetworkingConfig embedded. */
    public IdResponse create(String name, ContainerConfig config, HostConfig hostConfig, NetworkingConfig networking) {
        ObjectNode body = Json.mapper().valueToTree(config);
        if (hostConfig != null) {
            body.set("HostConfig", Json.mapper().valueToTree(hostConfig));
        }
        if (networking != null) {
            body.set("NetworkingConfig", Json.mapper().valueToTree(networking));
        }
        return c.json("POST", "/containers/create", Query.of().add("name", name), body, IdResponse.class);
    }

    /** {@code POST /containers/create} with a body already in the engine's JSON shape. */
    public IdResponse create(String name, String platform, JsonNode body) {
        return c.json("POST", "/containers/create", Query.of().add("name", name).add("platform", platform), body,
                IdResponse.class);
    }

    public List<ContainerSummary> list(boolean all, Integer limit, boolean size, Map<String, ? extends Collection<String>> filters) {
        Query q = Query.of().add("all", all).add("limit", limit).add("size", size).filters(filters);
        return c.json("GET", "/containers/json", q, null, BerthClient.listOf(ContainerSummary.class));
    }

    public ContainerInspect inspect(String id) {
        return c.json("GET", "/containers/" + id + "/json", null, null, ContainerInspect.class);
    }

    /** The inspect reply as a JSON tree, for output that must keep every field the engine sent. */
    public JsonNode inspectRaw(String id) {
        return c.tree("GET", "/containers/" + id + "/json", null);
    }

    public void start(String id) {
        c.exchange("POST", "/containers/" + id + "/start", null, null);
    }

    /** @param timeout seconds, or null for the container's default; @param signal or null */
    public void stop(String id, Integer timeout, String signal) {
        c.exchange("POST", "/containers/" + id + "/stop", Query.of().add("t", timeout).add("signal", signal), null);
    }

    public void restart(String id, Integer timeout, String signal) {
        c.exchange("POST", "/containers/" + id + "/restart", Query.of().add("t", timeout).add("signal", signal), null);
    }

    public void kill(String id, String signal) {
        c.exchange("POST", "/containers/" + id + "/kill", Query.of().add("signal", signal), null);
    }

    public void remove(String id, boolean force, boolean volumes, boolean link) {
        c.exchange("DELETE", "/containers/" + id, Query.of().add("force", force).add("v", volumes).add("link", link), null);
    }

    public void pause(String id) {
        c.exchange("POST", "/containers/" + id + "/pause", null, null);
    }

    public void unpause(String id) {
        c.exchange("POST", "/containers/" + id + "/unpause", null, null);
    }

    public void rename(String id, String newName) {
        c.exchange("POST", "/containers/" + id + "/rename", Query.of().add("name", newName), null);
    }

    public ContainerTop top(String id, String psArgs) {
        return c.json("GET", "/containers/" + id + "/top", Query.of().add("ps_args", psArgs), null, ContainerTop.class);
    }

    /** One stats sample ({@code stream=false}); {@code oneShot} skips the second sample. */
    public JsonNode stats(String id, boolean oneShot) {
        return c.tree("GET", "/containers/" + id + "/stats", Query.of().add("stream", "false").add("one-shot", oneShot));
    }

    public void resize(String id, int height, int width) {
        c.exchange("POST", "/containers/" + id + "/resize", Query.of().add("h", height).add("w", width), null);
    }

    /** Starts waiting; the engine replies with headers at once, the body when the condition holds. */
    public WaitHandle startWait(String id, String condition) {
        return new WaitHandle(c.call("POST", "/containers/" + id + "/wait", Query.of().add("condition", condition)));
    }

    public ContainerWaitResponse waitFor(String id, String condition) {
        return startWait(id, condition).result();
    }

    /**
     * {@code GET /containers/{id}/logs}. The body is raw if the container has a TTY, otherwise
     * multiplexed ({@link StdFrames#demux}). The caller closes the reply.
     */
    public HttpResponse logs(String id, LogOptions o) {
        Query q = Query.of().add("stdout", o.stdout()).add("stderr", o.stderr()).add("follow", o.follow())
                .add("timestamps", o.timestamps()).add("details", o.details())
                .add("tail", o.tail()).add("since", o.since()).add("until", o.until());
        return c.call("GET", "/containers/" + id + "/logs", q);
    }

    /** Opens a hijacked attach; call before start to see all output. */
    public Hijacked attach(String id, boolean stdin, boolean stdout, boolean stderr, boolean tty, String detachKeys) {
        Query q = Query.of().add("stream", true).add("stdin", stdin).add("stdout", stdout).add("stderr", stderr)
                .add("detachKeys", detachKeys);
        return c.hijack("/containers/" + id + "/attach", q, null, tty);
    }

    /** {@code POST /containers/prune}. */
    public JsonNode prune(Map<String, ? extends Collection<String>> filters) {
        return c.tree("POST", "/containers/prune", Query.of().filters(filters));
    }

    /** {@code GET /containers/{id}/changes}: [{Path, Kind}] (0 modified, 1 added, 2 deleted). */
    public JsonNode changes(String id) {
        return c.tree("GET", "/containers/" + id + "/changes", null);
    }

    /** {@code GET /containers/{id}/export}: the root filesystem as a tar; the caller closes the reply. */
    public HttpResponse export(String id) {
        return c.call("GET", "/containers/" + id + "/export", null);
    }

    /**
     * {@code GET /containers/{id}/archive?path=}: a tar of {@code path}; the reply header
     * {@code X-Docker-Container-Path-Stat} holds the base64 JSON stat. The caller closes the reply.
     */
    public HttpResponse archive(String id, String path) {
        return c.call("GET", "/containers/" + id + "/archive", Query.of().add("path", path));
    }

    /** {@code HEAD /containers/{id}/archive?path=}: the decoded path stat as JSON, or throws NOT_FOUND. */
    public JsonNode archiveStat(String id, String path) {
        try (HttpResponse r = c.call("HEAD", "/containers/" + id + "/archive", Query.of().add("path", path))) {
            String h = r.header("X-Docker-Container-Path-Stat");
            return h == null ? null : Json.mapper().readTree(java.util.Base64.getDecoder().decode(h));
        }
    }

    /** {@code PUT /containers/{id}/archive?path=}: extracts {@code tar} into directory {@code path}. */
    public void putArchive(String id, String path, java.io.InputStream tar, boolean noOverwriteDirNonDir, boolean copyUidGid) {
        c.call("PUT", "/containers/" + id + "/archive",
                Query.of().add("path", path).add("noOverwriteDirNonDir", noOverwriteDirNonDir).add("copyUIDGID", copyUidGid),
                Map.of("Content-Type", "application/x-tar"), tar).close();
    }

    /** {@code POST /containers/{id}/update} with a resources body; returns the reply (Warnings). */
    public JsonNode update(String id, JsonNode body) {
        try (HttpResponse r = c.call("POST", "/containers/" + id + "/update", null, BerthClient.jsonHeaders(body),
                BerthClient.jsonBytes(body))) {
            return Json.mapper().readTree(r.body());
        }
    }

    /** {@code GET /containers/{id}/stats?stream=true}: a stream of stats JSON values; the caller closes it. */
    public HttpResponse statsStream(String id) {
        return c.call("GET", "/containers/" + id + "/stats", Query.of().add("stream", "true"));
    }

    /**
     * {@code POST /commit}: a new image from a container's changes.
     *
     * @param config container config overrides (may be null), @param changes Dockerfile instructions
     */
    public IdResponse commit(String container, String repo, String tag, String comment, String author, boolean pause,
                             List<String> changes, JsonNode config) {
        Query q = Query.of().add("container", container).add("repo", repo).add("tag", tag).add("comment", comment)
                .add("author", author).add("pause", pause ? "true" : "false")
                .addAll("changes", changes == null ? List.of() : changes);
        return c.json("POST", "/commit", q, config == null ? Json.mapper().createObjectNode() : config, IdResponse.class);
    }

    /** Options of {@link #logs}; null/false values are not sent. */
    public record LogOptions(boolean stdout, boolean stderr, boolean follow, boolean timestamps, boolean details,
                             String tail, String since, String until) {
        public static LogOptions all() {
            return new LogOptions(true, true, false, false, false, null, null, null);
        }
    }
}
