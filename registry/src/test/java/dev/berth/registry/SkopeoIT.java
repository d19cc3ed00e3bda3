package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.common.Digest;
import dev.berth.common.Json;
import dev.berth.oci.image.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Interoperability with a real client: Debian's skopeo copies an {@code oci:} layout into the
 * registry (with htpasswd credentials), converts it to Docker v2.2 in another repository (blob
 * mount), lists tags, deletes, and copies back. Needs /usr/bin/skopeo (apt-get install skopeo).
 */
class SkopeoIT extends RegistryTestSupport {

    @Override
    RegistryServer.Config config() {
        try {
            Path file = tmp.resolve("htpasswd");
            Files.writeString(file, Htpasswd.entry("alice", "s3cret", 5) + "\n");
            return super.config().withHtpasswd(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String skopeo(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("skopeo"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("skopeo %s: %s", cmd, text).isZero();
        return text;
    }

    /** A 2-layer OCI layout with tag v1; returns the manifest digest. */
    private Digest layout(Path dir) throws IOException {
        Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
        List<Map<String, Object>> layers = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            byte[] tar = tar("file" + i + ".txt", ("content " + i + "\n").repeat(100 * (i + 1)).getBytes());
            diffIds.add(Digest.sha256(tar).toString());
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
                gz.write(tar);
            }
            byte[] blob = bo.toByteArray();
            layers.add(Map.of("mediaType", MediaTypes.OCI_LAYER_GZIP, "digest", put(blobs, blob).toString(), "size", blob.length));
        }
        byte[] cfg = Json.mapper().writeValueAsBytes(Map.of("architecture", "amd64", "os", "linux",
                "rootfs", Map.of("type", "layers", "diff_ids", diffIds)));
        byte[] man = Json.mapper().writeValueAsBytes(Map.of("schemaVersion", 2, "mediaType", MediaTypes.OCI_MANIFEST,
                "config", Map.of("mediaType", MediaTypes.OCI_CONFIG, "digest", put(blobs, cfg).toString(), "size", cfg.length),
                "layers", layers));
        Digest md = put(blobs, man);
        Files.write(dir.resolve("index.json"), Json.mapper().writeValueAsBytes(Map.of("schemaVersion", 2, "manifests",
                List.of(Map.of("mediaType", MediaTypes.OCI_MANIFEST, "digest", md.toString(), "size", man.length,
                        "annotations", Map.of(MediaTypes.ANNOTATION_REF_NAME, "v1"))))));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return md;
    }

    private static Digest put(Path blobs, byte[] b) throws IOException {
        Digest d = Digest.sha256(b);
        Files.write(blobs.resolve(d.hex()), b);
        return d;
    }

    /** One-file ustar archive. */
    private static byte[] tar(String name, byte[] content) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, "00000000000");
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        int padded = (content.length + 511) / 512 * 512;
        byte[] out = new byte[512 + padded + 1024];
        System.arraycopy(header, 0, out, 0, 512);
        System.arraycopy(content, 0, out, 512, content.length);
        return out;
    }

    private static void put(byte[] dst, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, dst, off, b.length);
    }

    @Test
    void skopeoCopiesIntoAndOutOfTheRegistry() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")), "skopeo not installed");
        Path src = tmp.resolve("src");
        Digest md = layout(src);
        String host = server.hostPort();
        String creds = "alice:s3cret";

        skopeo("copy", "--dest-tls-verify=false", "--dest-creds", creds, "oci:" + src + ":v1", "docker://" + host + "/demo/app:v1");
        String inspect = skopeo("inspect", "--tls-verify=false", "--creds", creds, "docker://" + host + "/demo/app:v1");
        assertThat(inspect).contains("\"Digest\": \"" + md + "\"").contains("\"Architecture\": \"amd64\"");

        skopeo("copy", "--format", "v2s2", "--src-tls-verify=false", "--dest-tls-verify=false", "--src-creds", creds,
                "--dest-creds", creds, "docker://" + host + "/demo/app:v1", "docker://" + host + "/other/app:v2");
        String raw = skopeo("inspect", "--raw", "--tls-verify=false", "--creds", creds, "docker://" + host + "/other/app:v2");
        assertThat(raw).contains(MediaTypes.DOCKER_MANIFEST);
        assertThat(skopeo("list-tags", "--tls-verify=false", "--creds", creds, "docker://" + host + "/other/app")).contains("\"v2\"");

        Path back = tmp.resolve("back");
        skopeo("copy", "--src-tls-verify=false", "--src-creds", creds, "docker://" + host + "/demo/app:v1", "oci:" + back + ":v1");
        assertThat(Files.readString(back.resolve("index.json"))).contains(md.toString());

        skopeo("delete", "--tls-verify=false", "--creds", creds, "docker://" + host + "/other/app:v2");
        assertThat(skopeo("list-tags", "--tls-verify=false", "--creds", creds, "docker://" + host + "/other/app")).doesNotContain("\"v2\"");
    }
}
