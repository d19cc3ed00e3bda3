package dev.berth.distribution;

import dev.berth.common.Digest;
import dev.berth.oci.ref.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Pushes an image: every layer (several at once) is skipped when the repository has it ("Layer
 * already exists"), mounted from another repository of the same registry when the source names
 * one ("Mounted from …"), or uploaded (monolithic, one streamed PATCH, or fixed-size chunks);
 * then the config blob, then the manifest under the tag. Thread-safe.
 */
public final class ImagePusher {

    /**
     * @param chunkSize            &lt;0: monolithic PUT; 0: one PATCH with the whole blob then PUT (dockerd's way); &gt;0: PATCH chunks of this size
     * @param maxConcurrentUploads layers uploaded at once (dockerd's default is 5)
     */
    public record Options(long chunkSize, int maxConcurrentUploads) {
        public static Options defaults() {
            return new Options(0, 5);
        }
    }

    private final RegistryConfig config;
    private final Options options;

    public ImagePusher(RegistryConfig config, Options options) {
        this.config = config;
        this.options = options;
    }

    /** Pushes to {@code ref} (its tag, {@code latest} when none; a digest-only ref pushes by digest). */
    public PushResult push(Reference ref, AuthConfig auth, LayerSource source, PushListener listener) throws IOException {
        try (RegistryClient c = RegistryClient.open(config, ref.domain(), auth)) {
            return push(c, ref, source, listener);
        }
    }

    /** Pushes through an already open client. */
    public PushResult push(RegistryClient client, Reference ref, LayerSource source, PushListener listener) throws IOException {
        PushListener l = listener == null ? PushListener.none() : listener;
        Reference r = ref.withDefaultTag();
        String repo = r.path();
        l.pushRefersTo(r.name().startsWith("docker.io/") ? r.name() : r.name());
        List<LayerSource.Blob> layers = source.layers().stream().filter(b -> !Layers.isForeign(b.descriptor().mediaType())).toList();
        for (int i = layers.size() - 1; i >= 0; i--) {
            l.preparing(layers.get(i));
        }
        Semaphore slots = new Semaphore(Math.max(1, options.maxConcurrentUploads()), true);
        int uploaded = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int i = layers.size() - 1; i >= 0; i--) {
                LayerSource.Blob b = layers.get(i);
                futures.add(pool.submit(() -> {
                    if (!slots.tryAcquire()) {
                        l.waiting(b);
                        slots.acquire();
                    }
                    try {
                        return pushBlob(client, repo, source, b, l, true);
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<Boolean> f : futures) {
                try {
                    if (f.get()) {
                        uploaded++;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    futures.forEach(x -> x.cancel(true));
                    throw new java.io.InterruptedIOException("push interrupted");
                } catch (ExecutionException e) {
                    futures.forEach(x -> x.cancel(true));
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
        }
        pushBlob(client, repo, source, source.config(), PushListener.none(), false);
        byte[] manifest = source.manifest();
        String reference = r.tag() != null ? r.tag() : r.digest();
        Digest d = client.manifests().put(repo, reference, source.manifestMediaType(), manifest);
        l.manifestPushed(r.tag() != null ? r.tag() : d.toString(), d, manifest.length);
        return new PushResult(d, manifest.length, uploaded);
    }

    /** Returns true when the blob was uploaded (false: it existed or was mounted). */
    private boolean pushBlob(RegistryClient client, String repo, LayerSource source, LayerSource.Blob b, PushListener l, boolean isLayer)
            throws IOException {
        Digest digest = Digest.parse(b.descriptor().digest());
        OptionalLong have = client.blobs().exists(repo, digest, List.of(RegistryClient.pushScope(repo)));
        if (have.isPresent()) {
            l.alreadyExists(b);
            return false;
        }
        URI location = null;
        for (String from : source.mountCandidates(digest)) {
            if (from.equals(repo)) {
                continue;
            }
            try {
                UploadEndpoint.MountResult m = client.uploads().mount(repo, digest, from);
                if (m.mounted()) {
                    l.mountedFrom(b, from);
                    return false;
                }
                location = m.uploadLocation();
                break;
            } catch (RegistryException e) {
                // Not allowed to read the other repository: upload instead.
            }
        }
        if (location == null) {
            location = client.uploads().start(repo);
        }
        upload(client, repo, location, b, digest, l);
        l.pushed(b);
        return true;
    }

    private void upload(RegistryClient client, String repo, URI location, LayerSource.Blob b, Digest digest, PushListener l) throws IOException {
        long size = b.descriptor().size();
        long chunk = options.chunkSize();
        l.pushing(b, 0, size);
        if (chunk < 0) {
            client.uploads().complete(repo, location, digest, opener(b, 0, size, l, size), size);
            return;
        }
        long step = chunk == 0 ? Math.max(size, 1) : chunk;
        long offset = 0;
        while (offset < size) {
            long len = Math.min(step, size - offset);
            location = client.uploads().patch(repo, location, opener(b, offset, len, l, size), offset, len);
            offset += len;
        }
        client.uploads().complete(repo, location, digest, null, 0);
    }

    /** Opens bytes [offset, offset+len) of the blob, reporting progress as they are sent. */
    private static Supplier<InputStream> opener(LayerSource.Blob b, long offset, long len, PushListener l, long total) {
        return () -> {
            try {
                InputStream in = b.open();
                in.skipNBytes(offset);
                InputStream limited = new java.io.FilterInputStream(in) {
                    long left = len;

                    @Override
                    public int read() throws IOException {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] buf, int off, int n) throws IOException {
                        if (left <= 0) {
                            return -1;
                        }
                        int r = super.read(buf, off, (int) Math.min(n, left));
                        if (r > 0) {
                            left -= r;
                        }
                        return r;
                    }
                };
                return new CountingInputStream(limited, n -> l.pushing(b, offset + n, total));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
