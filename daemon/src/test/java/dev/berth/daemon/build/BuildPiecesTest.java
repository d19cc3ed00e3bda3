package dev.berth.daemon.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.image.ImageTree;
import dev.berth.sys.fs.FileOps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build package's pure pieces: cache index persistence, tar completion, COPY layer tars. */
class BuildPiecesTest {
    @TempDir
    Path tmp;

    @Test
    void cacheSurvivesReloadAndPrunes() {
        Path f = tmp.resolve("builder/cache.json");
        BuildCache c = new BuildCache(f);
        c.put("sha256:k1", "sha256:i1");
        c.put("sha256:k2", "sha256:i2");
        BuildCache reloaded = new BuildCache(f);
        assertThat(reloaded.get("sha256:k1")).contains("sha256:i1");
        assertThat(reloaded.prune(id -> id.equals("sha256:i2"))).isEqualTo(1);
        assertThat(new BuildCache(f).get("sha256:k1")).isEmpty();
        assertThat(new BuildCache(f).get("sha256:k2")).contains("sha256:i2");
    }

    @Test
    void cacheEntriesKeepDescriptionAndUseCountsAndOldIndexesLoad() throws Exception {
        Path f = tmp.resolve("b2/cache.json");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "{\"sha256:old\":\"sha256:i0\"}"); // the index format before use counts
        BuildCache c = new BuildCache(f);
        assertThat(c.peek("sha256:old")).contains("sha256:i0");
        c.put("sha256:k", "sha256:i1", DaemonBuildWorker.describe("/bin/sh -c #(nop)  ENV A=1"));
        c.get("sha256:k");
        c.get("sha256:k");
        c.flush();
        BuildCache.Entry e = new BuildCache(f).entries().get("sha256:k");
        assertThat(e.imageId()).isEqualTo("sha256:i1");
        assertThat(e.description()).isEqualTo("ENV A=1");
        assertThat(e.usageCount()).isEqualTo(3);
        assertThat(e.lastUsedAt()).isGreaterThanOrEqualTo(e.createdAt());
        assertThat(DaemonBuildWorker.describe("/bin/sh -c echo hi")).isEqualTo("RUN /bin/sh -c echo hi");
        assertThat(DaemonBuildWorker.describe("/bin/sh -c #(nop) COPY file:ab in /x")).isEqualTo("COPY file:ab in /x");
    }

    @Test
    void tarWithoutTrailerIsCompleted() throws Exception {
        byte[] header = new byte[512];
        byte[] data = "abc".getBytes(StandardCharsets.US_ASCII);
        byte[] stream = new byte[515];
        System.arraycopy(header, 0, stream, 0, 512);
        System.arraycopy(data, 0, stream, 512, 3);
        byte[] all;
        try (InputStream in = new TarTrailer(new ByteArrayInputStream(stream))) {
            all = in.readAllBytes();
        }
        assertThat(all).hasSize(1024 + 1024);
        assertThat(all[512]).isEqualTo((byte) 'a');
        assertThat(all[515]).isZero();
    }

    @Test
    void copyTarAddsMissingParentsAndKeepsExistingOnes() throws Exception {
        Path layer = Files.createDirectories(tmp.resolve("layer/usr"));
        ImageTree parent = new ImageTree(List.of(tmp.resolve("layer")), FileOps.linux());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CopyTar tar = new CopyTar(out, parent)) {
            byte[] body = "hi".getBytes(StandardCharsets.UTF_8);
            tar.file("/usr/local/app/x", 0644, 1000, 1000, 0, body.length, new ByteArrayInputStream(body));
            tar.symlink("/usr/local/app/y", "x", 1000, 1000, 0);
        }
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName() + " " + e.getLongUserId());
            }
        }
        assertThat(layer).isDirectory();
        assertThat(names).containsExactly("usr/ 0", "usr/local/ 1000", "usr/local/app/ 1000", "usr/local/app/x 1000",
                "usr/local/app/y 1000");
    }

    @Test
    void registryConfigPicksTheImagesRegistry() {
        String json = "{\"https://index.docker.io/v1/\":{\"username\":\"hub\"},\"reg.example:5000\":{\"username\":\"r\"}}";
        RegistryAuths a = RegistryAuths.parse(java.util.Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
        String hub = new String(java.util.Base64.getUrlDecoder().decode(a.forImage("busybox")), StandardCharsets.UTF_8);
        assertThat(hub).contains("\"hub\"");
        String r = new String(java.util.Base64.getUrlDecoder().decode(a.forImage("reg.example:5000/x/y:1")), StandardCharsets.UTF_8);
        assertThat(r).contains("\"r\"");
        assertThat(a.forImage("ghcr.io/a/b")).isNull();
        assertThat(RegistryAuths.parse("e30=").forImage("busybox")).isNull();
    }
}
