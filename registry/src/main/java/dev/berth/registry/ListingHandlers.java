package dev.berth.registry;

import dev.berth.common.Digest;
import dev.berth.common.Json;
import dev.berth.http.HttpExchange;
import dev.berth.oci.image.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code /v2/}, {@code /v2/_catalog}, {@code /v2/<name>/tags/list} (paginated with Link) and the referrers API. */
final class ListingHandlers {
    private final RegistryStorage storage;

    ListingHandlers(RegistryStorage storage) {
        this.storage = storage;
    }

    void base(HttpExchange ex) {
        ex.respondJson(200, Map.of());
    }

    void catalog(HttpExchange ex) throws IOException {
        List<String> repos = Responses.page(ex, storage.repositories(), "/v2/_catalog");
        ex.respondJson(200, Map.of("repositories", repos));
    }

    void tags(HttpExchange ex) throws IOException {
        String name = Names.checkName(ex.pathParam("name"));
        if (!storage.repositoryExists(name)) {
            throw new RegistryError(ErrorCode.NAME_UNKNOWN, name);
        }
        List<String> tags = Responses.page(ex, storage.tags(name), "/v2/" + name + "/tags/list");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("tags", tags);
        ex.respondJson(200, body);
    }

    void referrers(HttpExchange ex) throws IOException {
        String name = Names.checkName(ex.pathParam("name"));
        Digest subject = BlobHandlers.digest(ex.pathParam("digest"));
        String artifactType = ex.query("artifactType");
        List<Map<String, Object>> found = new ArrayList<>();
        for (Digest d : storage.revisions(name)) {
            if (!storage.blobExists(d)) {
                continue;
            }
            byte[] bytes = storage.readBlob(d);
            JsonNode node;
            try {
                node = Json.mapper().readTree(bytes);
            } catch (RuntimeException e) {
                continue;
            }
            if (!subject.toString().equals(node.path("subject").path("digest").asString(""))) {
                continue;
            }
            String type = node.path("artifactType").asString(null);
            if (type == null) {
                type = node.path("config").path("mediaType").asString(null);
            }
            if (artifactType != null && !artifactType.equals(type)) {
                continue;
            }
            Map<String, Object> desc = new LinkedHashMap<>();
            desc.put("mediaType", storage.manifestMediaType(name, d).orElse(MediaTypes.OCI_MANIFEST));
            desc.put("digest", d.toString());
            desc.put("size", bytes.length);
            if (type != null) {
                desc.put("artifactType", type);
            }
            if (node.path("annotations").isObject()) {
                desc.put("annotations", Json.mapper().convertValue(node.path("annotations"), Map.class));
            }
            found.add(desc);
        }
        if (artifactType != null) {
            ex.setHeader("OCI-Filters-Applied", "artifactType");
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", found);
        byte[] json = Json.mapper().writeValueAsBytes(index);
        ex.respondBytes(200, MediaTypes.OCI_INDEX, json);
    }
}
