package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.common.Digest;
import dev.berth.common.Json;
import dev.berth.oci.image.MediaTypes;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GarbageCollectorTest extends RegistryTestSupport {

    @Test
    void sweepsUnreferencedBlobsAndKeepsImages() throws Exception {
        Digest cfg = putBlob("app", "{}".getBytes());
        Digest layer = putBlob("app", "layer".getBytes());
        Digest orphan = putBlob("app", "orphan".getBytes());
        byte[] m = Json.mapper().writeValueAsBytes(Map.of("schemaVersion", 2, "mediaType", MediaTypes.OCI_MANIFEST,
                "config", Map.of("mediaType", MediaTypes.OCI_CONFIG, "digest", cfg.toString(), "size", 2),
                "layers", List.of(Map.of("mediaType", MediaTypes.OCI_LAYER, "digest", layer.toString(), "size", 5))));
        assertThat(putManifest("app", "v1", MediaTypes.OCI_MANIFEST, m).statusCode()).isEqualTo(201);
        Digest md = Digest.sha256(m);
        RegistryStorage st = server.storage();
        GarbageCollector gc = new GarbageCollector(st);

        GarbageCollector.Result dry = gc.run(true, false);
        assertThat(dry.deleted()).containsExactly(orphan);
        assertThat(st.blobExists(orphan)).isTrue();

        GarbageCollector.Result r = gc.run(false, false);
        assertThat(r.deleted()).containsExactly(orphan);
        assertThat(st.blobExists(orphan)).isFalse();
        assertThat(st.blobExists(layer)).isTrue();
        assertThat(get("/v2/app/manifests/v1").statusCode()).isEqualTo(200);

        // Untag: with deleteUntagged the revision goes, then its blobs.
        assertThat(send(HttpRequest.newBuilder(uri("/v2/app/manifests/v1")).DELETE()).statusCode()).isEqualTo(202);
        GarbageCollector.Result r2 = gc.run(false, true);
        assertThat(r2.deleted()).containsExactlyInAnyOrder(md, cfg, layer);
        assertThat(get("/v2/app/manifests/" + md).statusCode()).isEqualTo(404);
    }
}
