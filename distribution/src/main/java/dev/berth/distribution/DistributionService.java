package dev.berth.distribution;

import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import dev.berth.oci.ref.Reference;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The facade the daemon holds: one per daemon, built from its registry options, with the Engine
 * API's inputs (fromImage/tag strings, the raw {@code X-Registry-Auth} header). Thread-safe.
 */
public final class DistributionService {
    private final RegistryConfig config;
    private final ImagePuller puller;
    private final ImagePusher pusher;
    private final RegistryLogin login;

    /**
     * @param config       registries and mirrors ({@link #configFrom})
     * @param ingestDir    where downloads land (partial files survive restarts and are resumed)
     * @param maxDownloads layers downloaded at once per pull (dockerd: 3)
     * @param maxUploads   layers uploaded at once per push (dockerd: 5)
     */
    public DistributionService(RegistryConfig config, Path ingestDir, int maxDownloads, int maxUploads) {
        this(config, ingestDir, maxDownloads, maxUploads, BlobFetcher.ATTEMPTS);
    }

    /** @param downloadAttempts how often one layer is tried before a pull fails (dockerd: 5) */
    public DistributionService(RegistryConfig config, Path ingestDir, int maxDownloads, int maxUploads, int downloadAttempts) {
        this.config = config;
        this.puller = new ImagePuller(config, new BlobFetcher(ingestDir, BlobFetcher.DEFAULT_STALL, downloadAttempts), maxDownloads);
        this.pusher = new ImagePusher(config, new ImagePusher.Options(0, maxUploads));
        this.login = new RegistryLogin(config);
    }

    /** dockerd's {@code --insecure-registry} values and {@code --registry-mirror} URLs (mirrors apply to Docker Hub). */
    public static RegistryConfig configFrom(List<String> insecureRegistries, List<String> registryMirrors) {
        List<URI> mirrors = new ArrayList<>();
        for (String m : registryMirrors == null ? List.<String>of() : registryMirrors) {
            String s = m.trim();
            if (!s.isEmpty()) {
                mirrors.add(URI.create(s.contains("://") ? s : "https://" + s));
            }
        }
        List<String> insecure = new ArrayList<>();
        for (String i : insecureRegistries == null ? List.<String>of() : insecureRegistries) {
            insecure.add(i.replaceFirst("^https?://", "").replaceAll("/+$", ""));
        }
        return new RegistryConfig(insecure, mirrors.isEmpty() ? Map.of() : Map.of(RegistryConfig.DOCKER_HUB, mirrors), null);
    }

    public RegistryConfig config() {
        return config;
    }

    /**
     * The reference {@code POST /images/create?fromImage=…&tag=…} names: {@code tag} may be a tag
     * or a digest and wins over one inside {@code fromImage}; neither gives {@code latest}.
     */
    public static Reference reference(String fromImage, String tag) {
        Reference ref = Reference.parse(fromImage);
        if (tag != null && !tag.isEmpty()) {
            ref = Digest.isDigest(tag) ? ref.withDigest(tag) : ref.withTag(tag);
        }
        return ref.withDefaultTag();
    }

    /** Pulls; {@code platform} as {@code docker pull --platform} (null or empty: host, lenient). */
    public PullResult pull(String fromImage, String tag, String platform, String xRegistryAuth, PullListener progress, LayerSink sink)
            throws IOException {
        Reference ref = reference(fromImage, tag);
        return puller.pull(ref, platform == null || platform.isBlank() ? null : Platforms.parse(platform),
                AuthConfig.fromHeader(xRegistryAuth), progress, sink);
    }

    /** All tags of a repository ({@code docker pull --all-tags}). */
    public List<String> tags(String repository, String xRegistryAuth) throws IOException {
        Reference ref = Reference.parse(repository);
        try (RegistryClient c = RegistryClient.open(config, ref.domain(), AuthConfig.fromHeader(xRegistryAuth))) {
            return c.tags().list(ref.path());
        }
    }

    /** Pushes {@code name[:tag]} from {@code source} (see {@link PushSources}). */
    public PushResult push(String name, String tag, String xRegistryAuth, LayerSource source, PushListener progress) throws IOException {
        Reference ref = Reference.parse(name);
        if (ref.digest() != null) {
            throw BerthException.invalid("cannot push a digest reference");
        }
        if (tag != null && !tag.isEmpty()) {
            ref = ref.withTag(tag);
        }
        return pusher.push(ref.withDefaultTag(), AuthConfig.fromHeader(xRegistryAuth), source, progress);
    }

    /** {@code POST /auth}. */
    public RegistryLogin.Result login(AuthConfig auth) throws IOException {
        return login.login(auth);
    }

    /** The final pull line: "Status: Downloaded newer image for busybox:latest" or "Status: Image is up to date for …". */
    public static String pullStatus(Reference ref, boolean newer) {
        return (newer ? "Status: Downloaded newer image for " : "Status: Image is up to date for ") + ref.familiarString();
    }
}
