package dev.berth.distribution;

import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import dev.berth.common.ErrorKind;
import dev.berth.common.Json;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Descriptor.Platform;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.ref.Reference;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Pulls an image: resolves the reference to a manifest (choosing the platform from an index),
 * fetches and verifies the config, downloads the missing layers several at a time through the
 * shared {@link BlobFetcher} and hands them to the {@link LayerSink} in order as they arrive.
 * Mirrors configured for the registry are tried first. Stateless apart from its collaborators;
 * thread-safe, many pulls may run at once.
 */
public final class ImagePuller {
    /** Largest image config accepted. */
    static final long MAX_CONFIG = 8 << 20;

    private final RegistryConfig config;
    private final BlobFetcher fetcher;
    private final int maxConcurrentDownloads;

    /** @param maxConcurrentDownloads layers downloaded at once per pull (dockerd's default is 3) */
    public ImagePuller(RegistryConfig config, BlobFetcher fetcher, int maxConcurrentDownloads) {
        this.config = config;
        this.fetcher = fetcher;
        this.maxConcurrentDownloads = Math.max(1, maxConcurrentDownloads);
    }

    /**
     * Pulls {@code ref} (a name without tag or digest means {@code :latest}) for {@code platform}
     * (null: the host's, and a single-platform image of another platform is accepted as dockerd
     * does; non-null: it must match). Throws NOT_FOUND for an unknown repository/manifest or no matching
     * platform, UNAUTHORIZED/NOT_FOUND for access denied, INVALID_ARGUMENT when content does not
     * match its digest, UNAVAILABLE when no endpoint answers.
     */
    public PullResult pull(Reference ref, Platform platform, AuthConfig auth, PullListener listener, LayerSink sink) throws IOException {
        Reference r = ref.withDefaultTag();
        PullListener l = listener == null ? PullListener.none() : listener;
        listenerPullingFrom(r, l);
        List<URI> mirrors = config.mirrorsFor(r.domain());
        for (URI mirror : mirrors) {
            try (RegistryClient c = RegistryClient.open(config, r.domain(), List.of(mirror), auth)) {
                return pull(c, r, platform, l, sink);
            } catch (IOException | BerthException e) {
                // A mirror that fails or lacks the image: fall back to the next, then the registry.
                System.getLogger(ImagePuller.class.getName()).log(System.Logger.Level.INFO,
                        "mirror " + mirror + " failed for " + r + ": " + e.getMessage());
            }
        }
        try (RegistryClient c = RegistryClient.open(config, r.domain(), auth)) {
            return pull(c, r, platform, l, sink);
        }
    }

    private static void listenerPullingFrom(Reference r, PullListener l) {
        l.pullingFrom(r.path(), r.tag() != null ? r.tag() : r.digest());
    }

    /** Pulls through an already open client (tests and callers with their own endpoint choice). */
    public PullResult pull(RegistryClient client, Reference ref, Platform platform, PullListener listener, LayerSink sink) throws IOException {
        boolean strictPlatform = platform != null;
        Platform want = platform == null ? Platforms.host() : platform;
        PullListener l = listener == null ? PullListener.none() : listener;
        String repo = ref.path();
        String reference = ref.digest() != null ? ref.digest() : ref.tag();
        FetchedManifest top;
        try {
            top = client.manifests().get(repo, reference);
        } catch (RegistryException e) {
            throw translate(e, ref);
        }
        FetchedManifest index = null;
        FetchedManifest manifest = top;
        if (top.isIndex()) {
            index = top;
            Descriptor d = Platforms.select(top.index().manifests(), want).orElseThrow(() -> BerthException.notFound(
                    "no matching manifest for %s in the manifest list entries", Platforms.format(want)));
            try {
                manifest = client.manifests().get(repo, d.digest());
            } catch (RegistryException e) {
                throw translate(e, ref);
            }
            if (manifest.isIndex()) {
                throw BerthException.invalid("nested index %s in %s is not supported", d.digest(), ref);
            }
        }
        Manifest m = manifest.manifest();
        if (m.config() == null || m.layers() == null) {
            throw BerthException.invalid("manifest %s of %s has no config or layers", manifest.digest(), ref);
        }
        Digest configDigest = Digest.parse(m.config().digest());
        byte[] configBytes = client.blobs().readSmall(repo, configDigest, MAX_CONFIG);
        ImageConfig cfg = Json.mapper().readValue(configBytes, ImageConfig.class);
        if (strictPlatform && index == null && !Platforms.matches(want, new Platform(cfg.architecture() == null ? "" : cfg.architecture(),
                cfg.os() == null ? "" : cfg.os(), cfg.variant()))) {
            // As dockerd: only an explicitly requested platform must match a single-platform image.
            throw BerthException.notFound("image with reference %s was found but does not match the specified platform: wanted %s, actual: %s/%s",
                    ref.familiarString(), Platforms.format(want), cfg.os(), cfg.architecture());
        }
        List<LayerInfo> layers = layers(m, cfg);
        int downloaded = fetchAndApply(client, repo, layers, l, sink);
        l.digest(top.digest());
        return new PullResult(ref, top.digest(), index, manifest, configDigest, configBytes, layers, downloaded);
    }

    private static List<LayerInfo> layers(Manifest m, ImageConfig cfg) {
        List<String> diffIds = cfg.rootfs() == null || cfg.rootfs().diffIds() == null ? List.of() : cfg.rootfs().diffIds();
        if (diffIds.size() != m.layers().size()) {
            throw BerthException.invalid("image config lists %d diff ids but the manifest has %d layers", diffIds.size(), m.layers().size());
        }
        List<Digest> all = diffIds.stream().map(Digest::parse).toList();
        List<LayerInfo> out = new ArrayList<>();
        for (int i = 0; i < m.layers().size(); i++) {
            Descriptor d = m.layers().get(i);
            if (Layers.isForeign(d.mediaType())) {
                continue; // foreign layers are never pulled (Docker skips them on Linux)
            }
            out.add(new LayerInfo(out.size(), d, all.get(i), all.subList(0, i + 1)));
        }
        return out;
    }

    private int fetchAndApply(RegistryClient client, String repo, List<LayerInfo> layers, PullListener l, LayerSink sink) throws IOException {
        Map<Integer, Future<Path>> downloads = new HashMap<>();
        Map<Integer, Boolean> released = new HashMap<>();
        Semaphore slots = new Semaphore(maxConcurrentDownloads, true);
        List<LayerInfo> missing = new ArrayList<>();
        for (LayerInfo layer : layers) {
            if (sink.hasLayer(layer)) {
                l.layerExists(layer);
            } else {
                l.layerPending(layer);
                missing.add(layer);
            }
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                for (LayerInfo layer : missing) {
                    downloads.put(layer.index(), pool.submit(() -> download(client, repo, layer, slots, l)));
                }
                for (LayerInfo layer : missing) {
                    Path blob = await(downloads.get(layer.index()));
                    try {
                        apply(layer, blob, l, sink);
                    } finally {
                        released.put(layer.index(), true);
                        fetcher.release(layer.blobDigest());
                    }
                    l.layerComplete(layer);
                }
            } finally {
                for (var e : downloads.entrySet()) {
                    if (released.containsKey(e.getKey())) {
                        continue;
                    }
                    if (!e.getValue().isDone()) {
                        e.getValue().cancel(true);
                    }
                    try {
                        e.getValue().get();
                        fetcher.release(layers.get(e.getKey()).blobDigest());
                    } catch (InterruptedException | ExecutionException | java.util.concurrent.CancellationException ignored) {
                        // a failed or cancelled download holds nothing
                    }
                }
            }
        }
        return missing.size();
    }

    private Path download(RegistryClient client, String repo, LayerInfo layer, Semaphore slots, PullListener l) throws IOException, InterruptedException {
        if (!slots.tryAcquire()) {
            l.layerWaiting(layer);
            slots.acquire();
        }
        try {
            long size = layer.descriptor().size();
            Path p = fetcher.fetch(client, repo, layer.blobDigest(), size, (cur, total) -> {
                if (cur < total || total < 0) {
                    l.layerDownloading(layer, cur, total);
                }
            });
            l.layerVerifying(layer);
            l.layerDownloaded(layer);
            return p;
        } finally {
            slots.release();
        }
    }

    private static Path await(Future<Path> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("pull interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c);
        }
    }

    private static void apply(LayerInfo layer, Path blob, PullListener l, LayerSink sink) throws IOException {
        long total = Files.size(blob);
        try (InputStream raw = new CountingInputStream(Files.newInputStream(blob), n -> l.layerExtracting(layer, n, total));
             InputStream tar = Layers.verifying(Layers.decompress(raw), layer.diffId())) {
            sink.applyLayer(layer, blob, tar);
            // Read what the sink left (tar padding) so the diff id is checked over all of it.
            tar.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static BerthException translate(RegistryException e, Reference ref) {
        String code = e.code() == null ? "" : e.code();
        if (e.status() == 401 || e.status() == 403 || code.equals("NAME_UNKNOWN") || code.equals("DENIED") || code.equals("UNAUTHORIZED")) {
            return new BerthException(ErrorKind.NOT_FOUND, "pull access denied for " + ref.familiarName()
                    + ", repository does not exist or may require 'docker login': " + e.getMessage(), e);
        }
        if (e.status() == 404) {
            return new BerthException(ErrorKind.NOT_FOUND, "manifest for " + ref.familiarString() + " not found: " + e.getMessage(), e);
        }
        return e;
    }

    /** Counts bytes read and reports every 512 KiB and at the end. */
    static final class CountingInputStream extends FilterInputStream {
        interface Sink {
            void count(long n);
        }

        private final Sink sink;
        private long n;
        private long reported;

        CountingInputStream(InputStream in, Sink sink) {
            super(in);
            this.sink = sink;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = super.read(b, off, len);
            if (r > 0) {
                add(r);
            } else if (r < 0 && reported != n) {
                reported = n;
                sink.count(n);
            }
            return r;
        }

        private void add(long k) {
            n += k;
            if (n - reported >= (512 << 10)) {
                reported = n;
                sink.count(n);
            }
        }
    }
}
