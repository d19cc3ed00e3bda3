package dev.berth.daemon.distribution;

import dev.berth.api.backend.MessageSink;
import dev.berth.api.model.JsonMessage;
import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import dev.berth.common.ErrorKind;
import dev.berth.daemon.events.EventPublisher;
import dev.berth.distribution.AuthConfig;
import dev.berth.distribution.DistributionService;
import dev.berth.distribution.DockerProgress;
import dev.berth.distribution.LayerSource;
import dev.berth.distribution.PullResult;
import dev.berth.distribution.PushResult;
import dev.berth.distribution.PushSources;
import dev.berth.distribution.RegistryLogin;
import dev.berth.http.Router;
import dev.berth.image.ImageService;
import dev.berth.image.LocalImageService;
import dev.berth.image.PulledImages;
import dev.berth.oci.ref.Reference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code docker pull}, {@code docker push} and {@code docker login} through the daemon: the
 * distribution module talks to registries, {@link PulledImages} stores what arrives and offers
 * what leaves. Progress is dockerd's JSON message stream. Failures before the first message
 * (registry unreachable, manifest unknown, access denied, no such local image) are thrown so the
 * API answers with an HTTP error as dockerd does; later ones are reported in-band. A failed pull
 * leaves the image store as it was.
 *
 * <p>Layout it owns: {@code <data-root>/distribution/ingest} (downloads, resumable across
 * restarts) and {@code <data-root>/distribution/push-cache} (gzip of local layers by diff id, so
 * a repeated push names the same blobs). One per daemon; thread-safe.
 */
public final class RegistryImageTransfer {
    private final DistributionService dist;
    private final PulledImages store;
    private final EventPublisher events;
    private final Path ingestDir;
    private final Path pushCache;
    private final BlobSources sources;

    /**
     * @param ingestDir the directory {@code dist} downloads into (interrupted pulls keep verified blobs there)
     * @param pushCache where local layers are compressed for pushes
     */
    public RegistryImageTransfer(DistributionService dist, PulledImages store, EventPublisher events, Path ingestDir, Path pushCache) {
        this.sources = new BlobSources(pushCache.resolveSibling("blob-sources.json"));
        this.dist = dist;
        this.store = store;
        this.events = events;
        this.ingestDir = ingestDir;
        this.pushCache = pushCache;
    }

    /**
     * The daemon's instance: dockerd's {@code --insecure-registry}/{@code --registry-mirror}
     * options, 3 concurrent downloads and 5 uploads per operation (dockerd's defaults).
     */
    public static RegistryImageTransfer create(Path dataRoot, List<String> insecureRegistries, List<String> registryMirrors,
            ImageService images, EventPublisher events) {
        if (!(images instanceof LocalImageService local)) {
            throw new IllegalArgumentException("registry transfers need the local image store, not " + images.getClass().getName());
        }
        Path root = dataRoot.resolve("distribution");
        Path ingest = root.resolve("ingest");
        DistributionService dist = new DistributionService(DistributionService.configFrom(insecureRegistries, registryMirrors), ingest, 3, 5);
        return new RegistryImageTransfer(dist, new PulledImages(local), events, ingest, root.resolve("push-cache"));
    }

    /** {@code POST /auth} and {@code GET /distribution/{name}/json}, for the API server's extra routes. */
    public Consumer<Router> routes() {
        return new DistributionRoutes(() -> this)::register;
    }

    /**
     * The same routes for a transfer built later than the API server (berthd listens first):
     * requests wait for {@code later}; if the daemon failed to start they fail UNAVAILABLE.
     */
    public static Consumer<Router> routes(java.util.concurrent.CompletableFuture<RegistryImageTransfer> later) {
        return new DistributionRoutes(() -> {
            try {
                return later.join();
            } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
                throw BerthException.unavailable("the daemon is not ready: %s", e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            }
        })::register;
    }

    /** The registry client this transfer uses. */
    public DistributionService distribution() {
        return dist;
    }

    // ---- pull

    /**
     * {@code POST /images/create?fromImage=…&tag=…&platform=…}. {@code tag} may be a tag or a
     * digest; a name with neither pulls every tag of the repository ({@code docker pull -a}).
     */
    public void pull(String fromImage, String tag, String platform, String registryAuth, MessageSink sink) {
        Out out = new Out(sink);
        run(out, () -> {
            Reference named = Reference.parse(fromImage);
            if ((tag == null || tag.isEmpty()) && named.isNameOnly()) {
                pullAllTags(named, platform, registryAuth, out);
            } else {
                Reference ref = DistributionService.reference(fromImage, tag);
                boolean changed = pullOne(ref, platform, registryAuth, out);
                out.progress.status(DistributionService.pullStatus(ref, changed));
            }
        });
    }

    private void pullAllTags(Reference named, String platform, String registryAuth, Out out) throws IOException {
        List<String> tags = dist.tags(named.toString(), registryAuth);
        if (tags.isEmpty()) {
            throw BerthException.notFound("no tags found for %s", named.familiarName());
        }
        boolean changed = false;
        for (String t : tags) {
            changed |= pullOne(named.withTag(t), platform, registryAuth, out);
        }
        out.progress.status((changed ? "Status: Downloaded newer image for " : "Status: Image is up to date for ") + named.familiarName());
    }

    /** Pulls one reference into the store; true when a reference now names a different image. */
    private boolean pullOne(Reference ref, String platform, String registryAuth, Out out) throws IOException {
        PulledImages.Added added;
        try (PulledImages.Session session = store.beginPull()) {
            StoreLayerSink layers = new StoreLayerSink(session);
            PullProgress progress = new PullProgress(out.progress);
            PullResult r = dist.pull(ref.toString(), null, platform, registryAuth, progress, layers);
            String tagRef = ref.tag() != null ? ref.toString() : null;
            String digestRef = ref.name() + "@" + r.digest();
            boolean hadImage = session.hasImage(r.configDigest().toString());
            added = session.addImage(r.config(), tagRef, digestRef);
            sources.record(r.layers().stream().map(dev.berth.distribution.LayerInfo::blobDigest).toList(), ref.domain(), ref.path());
            progress.finish(hadImage);
        }
        events.publish("image", "pull", ref.familiarString(), Map.of("name", ref.familiarString()));
        return added.changed();
    }

    // ---- push

    /**
     * {@code POST /images/{name}/push?tag=…}: pushes {@code name:tag}; without a tag (in the name or
     * the parameter) every local tag of the repository ({@code docker push -a}).
     */
    public void push(String name, String tag, String registryAuth, MessageSink sink) {
        Out out = new Out(sink);
        Reference named = Reference.parse(name);
        if (named.digest() != null) {
            throw BerthException.invalid("cannot push a digest reference");
        }
        List<Reference> refs = new ArrayList<>();
        if (tag != null && !tag.isEmpty()) {
            refs.add(named.withTag(tag));
        } else if (named.tag() != null) {
            refs.add(named);
        } else {
            for (String t : store.tagsOf(named.toString())) {
                refs.add(Reference.parse(t));
            }
            if (refs.isEmpty()) {
                throw BerthException.notFound("An image does not exist locally with the tag: %s", named.familiarName());
            }
        }
        for (Reference r : refs) {
            if (store.idOf(r.toString()).isEmpty()) {
                throw BerthException.notFound("tag does not exist: %s", r.familiarString());
            }
        }
        run(out, () -> {
            for (Reference r : refs) {
                pushOne(r, registryAuth, out);
            }
        });
    }

    private void pushOne(Reference ref, String registryAuth, Out out) throws IOException {
        PulledImages.PushImage img = store.forPush(ref.toString());
        List<PushSources.LayerInput> inputs = new ArrayList<>();
        for (PulledImages.PushLayer l : img.layers()) {
            inputs.add(PushSources.LayerInput.ofTar(Digest.parse(l.diffId()), l::open));
        }
        LayerSource source = PushSources.dockerV2(pushCache, img.config(), inputs, d -> sources.candidates(d, ref.domain()));
        PushResult result = dist.push(ref.name(), ref.tag(), registryAuth, source, out.progress);
        sources.record(source.layers().stream().map(b -> Digest.parse(b.descriptor().digest())).toList(), ref.domain(), ref.path());
        store.addDigestReference(img.id(), ref.name(), result.digest());
        events.publish("image", "push", ref.familiarString(), Map.of("name", ref.familiarString()));
        prunePushCache();
    }

    /**
     * Drops compressed copies of layers that are no longer in the store. Why keep the others: a
     * repeated push then names the same blobs without compressing again ("Layer already exists").
     */
    private void prunePushCache() {
        java.util.Set<String> live = new java.util.HashSet<>();
        store.diffIds().forEach(d -> live.add(Digest.parse(d).hex()));
        try (var files = java.nio.file.Files.list(pushCache)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                int dot = n.indexOf('.');
                String hex = dot > 0 ? n.substring(0, dot) : n;
                if (n.endsWith(".tar.gz") || n.endsWith(".tar.gz.digest")) {
                    if (!live.contains(hex)) {
                        java.nio.file.Files.deleteIfExists(f);
                    }
                }
            }
        } catch (IOException e) {
            // Only disk space: the next push tries again.
        }
    }

    // ---- login

    /** {@code POST /auth}: checks the credentials against the registry (UNAUTHORIZED with dockerd's wording when wrong). */
    public RegistryLogin.Result login(AuthConfig auth) throws IOException {
        try {
            return dist.login(auth);
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.UNAUTHORIZED) {
                // dockerd names the endpoint it probed: "login attempt to https://host/v2/ failed with status: 401 Unauthorized".
                String domain = RegistryLogin.domainOf(auth.serveraddress());
                String scheme = dist.config().isInsecure(domain) ? "http://" : "https://";
                String endpoint = domain.equals("docker.io") ? "https://registry-1.docker.io/v2/" : scheme + domain + "/v2/";
                String msg = e.getMessage().replace("login attempt to " + domain + " ", "login attempt to " + endpoint + " ");
                throw new BerthException(ErrorKind.UNAUTHORIZED, msg, e);
            }
            throw e;
        }
    }

    // ---- streaming helpers

    @FunctionalInterface
    private interface Action {
        void run() throws IOException;
    }

    /** The client's stream, remembering whether anything was sent (the HTTP status is then committed). */
    private static final class Out {
        final MessageSink sink;
        final DockerProgress progress;
        volatile boolean started;

        Out(MessageSink sink) {
            this.sink = sink;
            this.progress = new DockerProgress(m -> send(m));
        }

        void send(Object m) {
            started = true;
            try {
                sink.send(m);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Runs a transfer: errors before the first message are thrown (HTTP error), later ones go in-band. */
    private static void run(Out out, Action action) {
        try {
            action.run();
        } catch (BerthException e) {
            fail(out, e);
        } catch (UncheckedIOException e) {
            if (out.sink.isClosed()) {
                return; // the client went away: the transfer was abandoned with it
            }
            fail(out, new BerthException(ErrorKind.INTERNAL, message(e.getCause()), e));
        } catch (IOException e) {
            if (out.sink.isClosed()) {
                return;
            }
            fail(out, new BerthException(ErrorKind.INTERNAL, message(e), e));
        }
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void fail(Out out, BerthException error) {
        BerthException e = DialErrors.reword(error);
        if (!out.started) {
            throw e;
        }
        try {
            out.sink.send(JsonMessage.error(e.getMessage()));
        } catch (IOException gone) {
            // the client left; nothing more to tell it
        }
    }
}
