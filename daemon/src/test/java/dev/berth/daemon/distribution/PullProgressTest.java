package dev.berth.daemon.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.common.Digest;
import dev.berth.distribution.DockerProgress;
import dev.berth.distribution.LayerInfo;
import dev.berth.oci.image.Descriptor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PullProgressTest {
    private final List<Map<String, Object>> lines = new ArrayList<>();
    private final PullProgress p = new PullProgress(new DockerProgress(lines::add));

    private static LayerInfo layer(int i) {
        Digest blob = Digest.sha256(("blob" + i).getBytes(StandardCharsets.UTF_8));
        Digest diff = Digest.sha256(("diff" + i).getBytes(StandardCharsets.UTF_8));
        return new LayerInfo(i, new Descriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", blob.toString(), 10), diff, List.of(diff));
    }

    private List<String> statuses() {
        return lines.stream().map(m -> m.get("status") + (m.containsKey("id") ? " @" + m.get("id") : "")).toList();
    }

    @Test
    void pullingFromIsHeldUntilTheManifestIsResolved() {
        p.pullingFrom("library/busybox", "latest");
        assertThat(lines).isEmpty(); // a failure now becomes an HTTP error, as with dockerd
        LayerInfo l = layer(0);
        p.layerPending(l);
        p.layerComplete(l);
        p.digest(Digest.sha256(new byte[0]));
        p.finish(false);
        assertThat(statuses()).containsExactly("Pulling from library/busybox @latest", "Pulling fs layer @" + l.progressId(),
                "Pull complete @" + l.progressId(), "Digest: " + Digest.sha256(new byte[0]));
    }

    @Test
    void anImageAlreadyPresentShowsNoLayerLines() {
        p.pullingFrom("bb", "1");
        p.layerExists(layer(0));
        p.digest(Digest.sha256(new byte[0]));
        p.finish(true);
        assertThat(statuses()).containsExactly("Pulling from bb @1", "Digest: " + Digest.sha256(new byte[0]));
    }

    @Test
    void existingLayersOfANewImageAreShownInOrder() {
        p.pullingFrom("bb", "2");
        LayerInfo a = layer(0);
        LayerInfo b = layer(1);
        p.layerExists(a);
        p.layerPending(b);
        p.layerComplete(b);
        p.digest(Digest.sha256(new byte[0]));
        p.finish(false);
        assertThat(statuses()).containsExactly("Pulling from bb @2", "Already exists @" + a.progressId(),
                "Pulling fs layer @" + b.progressId(), "Pull complete @" + b.progressId(), "Digest: " + Digest.sha256(new byte[0]));
    }

    @Test
    void allLayersPresentButImageNewShowsAlreadyExists() {
        p.pullingFrom("bb", "3");
        LayerInfo a = layer(0);
        p.layerExists(a);
        p.digest(Digest.sha256(new byte[0]));
        p.finish(false);
        assertThat(statuses()).containsExactly("Pulling from bb @3", "Already exists @" + a.progressId(),
                "Digest: " + Digest.sha256(new byte[0]));
    }
}
