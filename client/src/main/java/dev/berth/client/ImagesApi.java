package dev.berth.client;

import dev.berth.api.model.HistoryItem;
import dev.berth.api.model.ImageDeleteItem;
import dev.berth.api.model.ImageInspect;
import dev.berth.api.model.ImageSummary;
import dev.berth.api.model.JsonMessage;
import java.io.InputStream;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/** Image endpoints. Thread-safe (stateless over the client). */
public final class ImagesApi {
    private static final String EMPTY_AUTH = Base64.getUrlEncoder().encodeToString("{}".getBytes());
    private final BerthClient c;

    ImagesApi(BerthClient c) {
        this.c = c;
    }

    public List<ImageSummary> list(boolean all, boolean digests, Map<String, ? extends Collection<String>> filters) {
        Query q = Query.of().add("all", all).add("digests", digests).filters(filters);
        return c.json("GET", "/images/json", q, null, BerthClient.listOf(ImageSummary.class));
    }

    public ImageInspect inspect(String name) {
        return c.json("GET", "/images/" + name + "/json", null, null, ImageInspect.class);
    }

    public JsonNode inspectRaw(String name) {
        return c.tree("GET", "/images/" + name + "/json", null);
    }

    public List<HistoryItem> history(String name) {
        return c.json("GET", "/images/" + name + "/history", null, null, BerthClient.listOf(HistoryItem.class));
    }

    /** {@code POST /images/{source}/tag?repo=&tag=}. */
    public void tag(String source, String repo, String tag) {
        c.exchange("POST", "/images/" + source + "/tag", Query.of().add("repo", repo).add("tag", tag), null);
    }

    public List<ImageDeleteItem> remove(String name, boolean force, boolean noPrune) {
        return c.json("DELETE", "/images/" + name, Query.of().add("force", force).add("noprune", noPrune), null,
                BerthClient.listOf(ImageDeleteItem.class));
    }

    /** {@code POST /images/load}: a docker-archive or OCI layout tar; progress goes to {@code sink}. */
    public void load(InputStream tar, boolean quiet, Consumer<JsonMessage> sink) {
        try (HttpResponse r = c.call("POST", "/images/load", Query.of().add("quiet", quiet),
                Map.of("Content-Type", "application/x-tar"), tar)) {
            JsonStream.progress(r.body(), sink);
        }
    }

    /** {@code GET /images/get?names=…}: a docker-archive tar stream; the caller closes the reply. */
    public HttpResponse save(List<String> names) {
        return c.call("GET", "/images/get", Query.of().addAll("names", names));
    }

    /**
     * {@code POST /images/create?fromSrc=-}: imports a rootfs tar as a one-layer image.
     *
     * @param changes Dockerfile instructions applied to the config (e.g. {@code CMD ["sh"]})
     */
    public void importImage(InputStream tar, String repo, String tag, List<String> changes, String message,
                            Consumer<JsonMessage> sink) {
        Query q = Query.of().add("fromSrc", "-").add("repo", repo).add("tag", tag).add("message", message)
                .addAll("changes", changes == null ? List.of() : changes);
        try (HttpResponse r = c.call("POST", "/images/create", q, Map.of("Content-Type", "application/x-tar"), tar)) {
            JsonStream.progress(r.body(), sink);
        }
    }

    /** {@code POST /images/create?fromImage=&tag=}: pulls through the engine. */
    public void pull(String fromImage, String tag, String platform, String registryAuth, Consumer<JsonMessage> sink) {
        Query q = Query.of().add("fromImage", fromImage).add("tag", tag).add("platform", platform);
        try (HttpResponse r = c.call("POST", "/images/create", q,
                Map.of("X-Registry-Auth", registryAuth == null ? EMPTY_AUTH : registryAuth), null)) {
            JsonStream.progress(r.body(), sink);
        }
    }

    /** {@code POST /images/{name}/push?tag=}. */
    public void push(String name, String tag, String registryAuth, Consumer<JsonMessage> sink) {
        try (HttpResponse r = c.call("POST", "/images/" + name + "/push", Query.of().add("tag", tag),
                Map.of("X-Registry-Auth", registryAuth == null ? EMPTY_AUTH : registryAuth), null)) {
            JsonStream.progress(r.body(), sink);
        }
    }

    /**
     * {@code POST /build}: sends a build context tar; each message (stream text, aux image id,
     * status) goes to {@code sink}; an in-band error throws after the earlier messages.
     *
     * @param query build parameters (t, dockerfile, buildargs, …) built by the caller
     * @param registryConfig base64 JSON for {@code X-Registry-Config}, or null
     */
    public void build(InputStream context, Query query, String registryConfig, Consumer<JsonMessage> sink) {
        Map<String, String> h = new java.util.LinkedHashMap<>();
        h.put("Content-Type", "application/x-tar");
        if (registryConfig != null) {
            h.put("X-Registry-Config", registryConfig);
        }
        try (HttpResponse r = c.call("POST", "/build", query, h, context)) {
            JsonStream.progress(r.body(), sink);
        }
    }

    /** {@code POST /build/prune}. */
    public JsonNode pruneBuildCache(boolean all) {
        return c.tree("POST", "/build/prune", Query.of().add("all", all));
    }

    public JsonNode prune(Map<String, ? extends Collection<String>> filters) {
        return c.tree("POST", "/images/prune", Query.of().filters(filters));
    }
}
