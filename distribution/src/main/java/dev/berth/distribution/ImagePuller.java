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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Pulls an image: resolves the reference to a manifest (choosing the platform from an index),
 * fetches and verifies the config, downloads the missing layers several at a time through the
 * shared {@link BlobFetcher}, each unpacked by the {@link LayerSink} as it arrives, and commits
 * them bottom first.
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

    /**
     * Downloads the missing layers, up to {@code maxConcurrentDownloads} at once, each unpacked
     * by the sink as its bytes arrive, then commits them bottom first. Each blob is read once:
     * the same pass hashes it, keeps it in the ingest directory (for a resume after a crash)
     * and feeds the decompressor. On failure every staged layer is discarded; the downloaded
     * blobs stay in ingest only when a retry could use them (network and server trouble).
     */
    private int fetchAndApply(RegistryClient client, String repo, List<LayerInfo> layers, PullListener l, LayerSink sink) throws IOException {
        List<LayerInfo> missing = new ArrayList<>();
        for (LayerInfo layer : layers) {
            if (sink.hasLayer(layer)) {
                l.layerExists(layer);
            } else {
                l.layerPending(layer);
                missing.add(layer);
            }
        }
        int n = missing.size();
        Semaphore slots = new Semaphore(maxConcurrentDownloads, true);
        AtomicReferenceArray<LayerSink.Staged> staged = new AtomicReferenceArray<>(n);
        List<Digest> holds = java.util.Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<LayerSink.Staged>> results = new ArrayList<>();
        CompletableFuture<Object> firstFailure = new CompletableFuture<>();
        List<Future<?>> tasks = new ArrayList<>();
        Throwable failure = null;
        try {
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                try {
                    for (int i = 0; i < n; i++) {
                        int index = i;
                        CompletableFuture<LayerSink.Staged> result = new CompletableFuture<>();
                        results.add(result);
                        tasks.add(pool.submit(() -> {
                            try {
                                result.complete(downloadAndUnpack(client, repo, missing.get(index), index, slots, l, sink, staged, holds));
                            } catch (Throwable t) {
                                result.completeExceptionally(t);
                                firstFailure.completeExceptionally(t);
                            }
                        }));
                    }
                    for (int i = 0; i < n; i++) {
                        LayerInfo layer = missing.get(i);
                        CompletableFuture<LayerSink.Staged> result = results.get(i);
                        // Wait for this layer, or stop as soon as any layer failed.
                        try {
                            CompletableFuture.anyOf(result, firstFailure).get();
                        } catch (ExecutionException ignored) {
                            // thrown below by await
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new java.io.InterruptedIOException("pull interrupted");
                        }
                        if (!result.isDone()) {
                            await(firstFailure); // another layer failed
                        }
                        try (LayerSink.Staged s = await(result)) {
                            long size = layer.descriptor().size();
                            l.layerExtracting(layer, size, size);
                            s.commit();
                        }
                        l.layerComplete(layer);
                    }
                } catch (IOException | RuntimeException | Error e) {
                    failure = e;
                    tasks.forEach(t -> t.cancel(true));
                    throw e;
                }
            } // waits until every task has ended
        } finally {
            for (int i = 0; i < n; i++) {
                LayerSink.Staged s = staged.get(i);
                if (s != null) {
                    s.close(); // no-op for committed layers
                }
            }
            boolean keep = failure != null && retryable(failure);
            List<Digest> held;
            synchronized (holds) {
                held = List.copyOf(holds);
            }
            for (Digest d : held) {
                fetcher.release(d, keep);
            }
        }
        return n;
    }

    /** Whether blobs downloaded so far may help a retry: not when content was bad or is gone. */
    private static boolean retryable(Throwable failure) {
        return !(failure instanceof BerthException be) || be.kind() == ErrorKind.UNAVAILABLE || be.kind() == ErrorKind.INTERNAL;
    }

    private LayerSink.Staged downloadAndUnpack(RegistryClient client, String repo, LayerInfo layer, int index, Semaphore slots,
            PullListener l, LayerSink sink, AtomicReferenceArray<LayerSink.Staged> staged, List<Digest> holds)
            throws IOException, InterruptedException {
        if (!slots.tryAcquire()) {
            l.layerWaiting(layer);
            slots.acquire();
        }
        try {
            long size = layer.descriptor().size();
            InputStream blob = fetcher.open(client, repo, layer.blobDigest(), size, (cur, total) -> {
                if (cur < total || total < 0) {
                    l.layerDownloading(layer, cur, total);
                }
            });
            holds.add(layer.blobDigest());
            try (blob) {
                InputStream tar = Layers.decompress(blob);
                if (!sink.verifiesDiffIds()) {
                    tar = Layers.verifying(tar, layer.diffId());
                }
                LayerSink.Staged s;
                try {
                    s = sink.unpack(layer, tar);
                } catch (IOException | RuntimeException e) {
                    throw preferDigestError(blob, e);
                } catch (Error e) {
                    throw e;
                }
                staged.set(index, s);
                // The tar can end before the blob does (gzip trailer, zero padding): the digest covers all of it.
                blob.transferTo(OutputStream.nullOutputStream());
                l.layerVerifying(layer);
                l.layerDownloaded(layer);
                return s;
            }
        } finally {
            slots.release();
        }
    }

    /**
     * Unpacking failed (bad gzip, bad tar, diff id mismatch): if the blob itself is corrupt, say
     * that instead, as dockerd does (it verifies the whole blob before unpacking). Reads the rest
     * of the blob to find out; a download that already failed or was cancelled is not continued.
     */
    private static IOException preferDigestError(InputStream blob, Exception e) {
        if (!Thread.currentThread().isInterrupted() && !(e instanceof BerthException be && be.getMessage().contains("verification failed"))) {
            try {
                blob.transferTo(OutputStream.nullOutputStream());
            } catch (BerthException digest) {
                digest.addSuppressed(e);
                throw digest;
            } catch (IOException | RuntimeException ignored) {
                // no verdict on the blob: report the unpacking error
            }
        }
        if (e instanceof RuntimeException re) {
            throw re;
        }
        return (IOException) e;
    }

    private static <T> T await(Future<T> f) throws IOException {
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
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
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
}
