package dev.berth.distribution;

import dev.berth.common.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** {@code GET /v2/<name>/tags/list}, following {@code Link: <…>; rel="next"} pagination. */
public final class TagsEndpoint {
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final int MAX_PAGES = 1000;

    private final RegistryClient client;

    TagsEndpoint(RegistryClient client) {
        this.client = client;
    }

    /** All tags of a repository, in the registry's order. */
    public List<String> list(String repo) throws IOException {
        List<String> tags = new ArrayList<>();
        URI next = client.uri("/v2/" + repo + "/tags/list");
        for (int page = 0; next != null && page < MAX_PAGES; page++) {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(next).timeout(client.timeout()).GET(),
                    HttpResponse.BodyHandlers.ofByteArray(), List.of(RegistryClient.pullScope(repo)));
            JsonNode body = Json.mapper().readTree(r.body());
            body.path("tags").forEach(t -> tags.add(t.asString()));
            next = r.headers().firstValue("Link").map(NEXT::matcher).filter(Matcher::find).map(m -> client.resolve(m.group(1))).orElse(null);
        }
        return tags;
    }
}
