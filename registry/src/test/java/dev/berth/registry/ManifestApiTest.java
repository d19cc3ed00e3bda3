package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.common.Digest;
import dev.berth.common.Json;
import dev.berth.oci.image.MediaTypes;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ManifestApiTest extends RegistryTestSupport {

    private byte[] manifest(String type, Digest config, Digest layer, long layerSize, Map<String, Object> extra) {
        var m = new java.util.LinkedHashMap<String, Object>();
        m.put("schemaVersion", 2);
        m.put("mediaType", type);
        m.put("config", Map.of("mediaType", MediaTypes.OCI_CONFIG, "digest", config.toString(), "size", 2));
        m.put("layers", List.of(Map.of("mediaType", MediaTypes.OCI_LAYER_GZIP, "digest", layer.toString(), "size", layerSize)));
        m.putAll(extra);
        return Json.mapper().writeValueAsBytes(m);
    }

    @Test
    void putGetHeadDeleteByTagAndDigest() throws Exception {
        Digest cfg = putBlob("app", "{}".getBytes());
        Digest layer = putBlob("app", "layer".getBytes());
        byte[] m = manifest(MediaTypes.DOCKER_MANIFEST, cfg, layer, 5, Map.of());
        HttpResponse<byte[]> put = putManifest("app", "v1", MediaTypes.DOCKER_MANIFEST, m);
        assertThat(put.statusCode()).isEqualTo(201);
        Digest d = Digest.sha256(m);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(d.toString());
        assertThat(put.headers().firstValue("Location")).hasValue("/v2/app/manifests/" + d);

        for (String ref : List.of("v1", d.toString())) {
            HttpResponse<byte[]> g = get("/v2/app/manifests/" + ref);
            assertThat(g.statusCode()).isEqualTo(200);
            assertThat(g.body()).isEqualTo(m);
            assertThat(g.headers().firstValue("Content-Type")).hasValue(MediaTypes.DOCKER_MANIFEST);
            assertThat(g.headers().firstValue("Docker-Content-Digest")).hasValue(d.toString());
        }
        HttpResponse<byte[]> h = head("/v2/app/manifests/v1");
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(h.headers().firstValueAsLong("Content-Length")).hasValue(m.length);

        HttpResponse<byte[]> missing = get("/v2/app/manifests/v2");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(errorCode(missing)).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(errorCode(get("/v2/nothere/manifests/v1"))).isEqualTo("NAME_UNKNOWN");

        assertThat(send(HttpRequest.newBuilder(uri("/v2/app/manifests/" + d)).DELETE()).statusCode()).isEqualTo(202);
        assertThat(get("/v2/app/manifests/v1").statusCode()).isEqualTo(404);
        assertThat(get("/v2/app/manifests/" + d).statusCode()).isEqualTo(404);
    }

    @Test
    void unknownBlobAndWrongDigestAreRejected() throws Exception {
        Digest cfg = putBlob("app", "{}".getBytes());
        byte[] m = manifest(MediaTypes.OCI_MANIFEST, cfg, Digest.sha256("nope".getBytes()), 4, Map.of());
        HttpResponse<byte[]> r = putManifest("app", "v1", MediaTypes.OCI_MANIFEST, m);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("MANIFEST_BLOB_UNKNOWN");

        Digest layer = putBlob("app", "layer".getBytes());
        byte[] ok = manifest(MediaTypes.OCI_MANIFEST, cfg, layer, 5, Map.of());
        HttpResponse<byte[]> bad = putManifest("app", Digest.sha256("x".getBytes()).toString(), MediaTypes.OCI_MANIFEST, ok);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(errorCode(bad)).isEqualTo("DIGEST_INVALID");

        HttpResponse<byte[]> mismatch = putManifest("app", "v1", MediaTypes.DOCKER_MANIFEST, ok);
        assertThat(errorCode(mismatch)).isEqualTo("MANIFEST_INVALID");
    }

    @Test
    void indexTagListPaginationCatalogAndTagDelete() throws Exception {
        Digest cfg = putBlob("multi", "{}".getBytes());
        Digest layer = putBlob("multi", "layer".getBytes());
        byte[] m = manifest(MediaTypes.OCI_MANIFEST, cfg, layer, 5, Map.of());
        Digest md = Digest.sha256(m);
        assertThat(putManifest("multi", md.toString(), MediaTypes.OCI_MANIFEST, m).statusCode()).isEqualTo(201);
        byte[] idx = Json.mapper().writeValueAsBytes(Map.of("schemaVersion", 2, "mediaType", MediaTypes.DOCKER_MANIFEST_LIST,
                "manifests", List.of(Map.of("mediaType", MediaTypes.OCI_MANIFEST, "digest", md.toString(), "size", m.length,
                        "platform", Map.of("os", "linux", "architecture", "amd64")))));
        for (String tag : List.of("c", "a", "b", "d")) {
            assertThat(putManifest("multi", tag, MediaTypes.DOCKER_MANIFEST_LIST, idx).statusCode()).isEqualTo(201);
        }
        assertThat(get("/v2/multi/manifests/a").headers().firstValue("Content-Type")).hasValue(MediaTypes.DOCKER_MANIFEST_LIST);

        HttpResponse<byte[]> page1 = get("/v2/multi/tags/list?n=2");
        JsonNode t1 = Json.mapper().readTree(page1.body());
        assertThat(t1.path("name").asString()).isEqualTo("multi");
        assertThat(t1.path("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(page1.headers().firstValue("Link")).hasValue("</v2/multi/tags/list?n=2&last=b>; rel=\"next\"");
        HttpResponse<byte[]> page2 = get("/v2/multi/tags/list?n=2&last=b");
        assertThat(Json.mapper().readTree(page2.body()).path("tags").toString()).isEqualTo("[\"c\",\"d\"]");
        assertThat(page2.headers().firstValue("Link")).isEmpty();
        assertThat(get("/v2/multi/tags/list").statusCode()).isEqualTo(200);
        assertThat(errorCode(get("/v2/none/tags/list"))).isEqualTo("NAME_UNKNOWN");

        assertThat(send(HttpRequest.newBuilder(uri("/v2/multi/manifests/a")).DELETE()).statusCode()).isEqualTo(202);
        assertThat(Json.mapper().readTree(get("/v2/multi/tags/list").body()).path("tags").toString()).isEqualTo("[\"b\",\"c\",\"d\"]");

        putBlob("zeta/x", "z".getBytes());
        JsonNode cat = Json.mapper().readTree(get("/v2/_catalog").body());
        assertThat(cat.path("repositories").toString()).isEqualTo("[\"multi\",\"zeta/x\"]");
        HttpResponse<byte[]> catPage = get("/v2/_catalog?n=1");
        assertThat(catPage.headers().firstValue("Link")).hasValue("</v2/_catalog?n=1&last=multi>; rel=\"next\"");
    }

    @Test
    void referrersApi() throws Exception {
        Digest cfg = putBlob("app", "{}".getBytes());
        Digest layer = putBlob("app", "layer".getBytes());
        byte[] image = manifest(MediaTypes.OCI_MANIFEST, cfg, layer, 5, Map.of());
        Digest imageDigest = Digest.sha256(image);
        putManifest("app", "v1", MediaTypes.OCI_MANIFEST, image);
        byte[] sig = manifest(MediaTypes.OCI_MANIFEST, cfg, layer, 5, Map.of(
                "artifactType", "application/vnd.example.sig",
                "subject", Map.of("mediaType", MediaTypes.OCI_MANIFEST, "digest", imageDigest.toString(), "size", image.length),
                "annotations", Map.of("k", "v")));
        HttpResponse<byte[]> put = putManifest("app", Digest.sha256(sig).toString(), MediaTypes.OCI_MANIFEST, sig);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("OCI-Subject")).hasValue(imageDigest.toString());

        HttpResponse<byte[]> r = get("/v2/app/referrers/" + imageDigest);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(MediaTypes.OCI_INDEX);
        JsonNode idx = Json.mapper().readTree(r.body());
        assertThat(idx.path("manifests").size()).isEqualTo(1);
        assertThat(idx.path("manifests").get(0).path("artifactType").asString()).isEqualTo("application/vnd.example.sig");
        assertThat(idx.path("manifests").get(0).path("annotations").path("k").asString()).isEqualTo("v");

        HttpResponse<byte[]> filtered = get("/v2/app/referrers/" + imageDigest + "?artifactType=other");
        assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).hasValue("artifactType");
        assertThat(Json.mapper().readTree(filtered.body()).path("manifests").size()).isZero();
        assertThat(get("/v2/app/referrers/" + Digest.sha256("none".getBytes())).statusCode()).isEqualTo(200);
    }
}
