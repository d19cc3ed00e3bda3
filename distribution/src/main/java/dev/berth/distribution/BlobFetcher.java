package dev.berth.distribution;

import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Downloads blobs into an ingest directory and hands out verified files. A download goes to
 * {@code <ingest>/<algo>-<hex>.partial}; after an interruption the partial file is kept and the
 * next attempt (in this process or after a restart) resumes it with an HTTP {@code Range}
 * request. Only when size and digest match is it renamed to {@code <algo>-<hex>} and handed out.
 * Concurrent fetches of one digest in this process share a single download (reference counted:
 * the verified file is deleted when the last holder {@link #release releases} it).
 *
 * <p>One instance per daemon, shared by all pulls; thread-safe.
 */
public final class BlobFetcher {
    /** Download progress: bytes so far (including resumed bytes) of total. */
    @FunctionalInterface
    public interface Progress {
        void update(long current, long total);
    }

    private static final int ATTEMPTS = 5;

    private final Path ingestDir;
    private final java.time.Duration stallTimeout;
    private final Map<Digest, Entry> downloads = new HashMap<>();

    private static final class Entry {
        final CompletableFuture<Path> future = new CompletableFuture<>();
        int refs;
    }

    public BlobFetcher(Path ingestDir) {
        this(ingestDir, java.time.Duration.ofSeconds(60));
    }

    /** @param stallTimeout a download that receives nothing for this long is cut and resumed */
    public BlobFetcher(Path ingestDir, java.time.Duration stallTimeout) {
        this.ingestDir = ingestDir;
        this.stallTimeout = stallTimeout;
    }

    /**
     * Closes a response body that stops delivering bytes (the JDK client has no read timeout for
     * streamed bodies), so the read fails and the download resumes with a range request.
     */
    private static final class StallGuard implements AutoCloseable {
        private final Thread watcher;
        private volatile long last = System.nanoTime();
        private volatile boolean done;

        StallGuard(InputStream in, java.time.Duration timeout) {
            long limit = timeout.toNanos();
            watcher = Thread.ofVirtual().name("blob-stall-guard").start(() -> {
                while (!done) {
                    try {
                        Thread.sleep(Math.max(50, Math.min(1000, limit / 4_000_000)));
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (!done && System.nanoTime() - last > limit) {
                        try {
                            in.close();
                        } catch (IOException ignored) {
                            // closing is all we want
                        }
                        return;
                    }
                }
            });
        }

        void progressed() {
            last = System.nanoTime();
        }

        @Override
        public void close() {
            done = true;
            watcher.interrupt();
        }
    }

    public Path ingestDir() {
        return ingestDir;
    }

    /**
     * Returns the verified file of {@code digest}, downloading it unless another caller is
     * already doing so (then waits for that download). Every successful call must be paired
     * with {@link #release}. Throws INVALID_ARGUMENT when the content does not match the digest
     * (the partial file is then discarded).
     */
    public Path fetch(RegistryClient client, String repo, Digest digest, long size, Progress progress) throws IOException {
        Entry e;
        boolean owner;
        synchronized (downloads) {
            e = downloads.get(digest);
            owner = e == null;
            if (owner) {
                e = new Entry();
                downloads.put(digest, e);
            }
            e.refs++;
        }
        if (owner) {
            try {
                e.future.complete(download(client, repo, digest, size, progress));
            } catch (IOException | RuntimeException ex) {
                e.future.completeExceptionally(ex);
                synchronized (downloads) {
                    downloads.remove(digest, e);
                }
            }
        }
        try {
            return e.future.get();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            release(digest);
            throw new java.io.InterruptedIOException("interrupted while waiting for " + digest);
        } catch (ExecutionException ex) {
            synchronized (downloads) {
                e.refs--;
            }
            Throwable c = ex.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c);
        }
    }

    /** Drops one hold on {@code digest}; the last one deletes the verified file. */
    public void release(Digest digest) {
        Path done = null;
        synchronized (downloads) {
            Entry e = downloads.get(digest);
            if (e == null) {
                return;
            }
            if (--e.refs <= 0) {
                downloads.remove(digest);
                done = e.future.isDone() && !e.future.isCompletedExceptionally() ? e.future.join() : null;
            }
        }
        if (done != null) {
            try {
                Files.deleteIfExists(done);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    /** The partial file of a digest (exposed for tests and for cleaning up). */
    public Path partialPath(Digest digest) {
        return ingestDir.resolve(digest.algorithm() + "-" + digest.hex() + ".partial");
    }

    private Path download(RegistryClient client, String repo, Digest digest, long size, Progress progress) throws IOException {
        Files.createDirectories(ingestDir);
        Path partial = partialPath(digest);
        Path done = ingestDir.resolve(digest.algorithm() + "-" + digest.hex());
        if (Files.exists(done) && verify(done, digest, size)) {
            progress.update(size, size);
            return done;
        }
        IOException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long have = Files.exists(partial) ? Files.size(partial) : 0;
            if (size >= 0 && have > size) {
                Files.delete(partial);
                have = 0;
            }
            try {
                if (size < 0 || have < size) {
                    HttpResponse<InputStream> r;
                    try {
                        r = client.blobs().open(repo, digest, have);
                    } catch (RegistryException ex) {
                        if (ex.status() == 416 && have > 0) {
                            // The range starts at or past the end: start over.
                            Files.delete(partial);
                            continue;
                        }
                        throw ex;
                    }
                    boolean append = have > 0 && r.statusCode() == 206;
                    if (!append) {
                        have = 0; // the registry ignored the range: it sends everything
                    }
                    try (InputStream in = r.body();
                         StallGuard guard = new StallGuard(in, stallTimeout);
                         OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                 append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                        byte[] buf = new byte[64 << 10];
                        long total = size >= 0 ? size : r.headers().firstValueAsLong("Content-Length").orElse(-1);
                        progress.update(have, total);
                        int n;
                        long lastReport = have;
                        while ((n = in.read(buf)) > 0) {
                            guard.progressed();
                            out.write(buf, 0, n);
                            have += n;
                            if (size >= 0 && have > size) {
                                throw BerthException.invalid("blob %s is larger than its descriptor says (%d bytes)", digest, size);
                            }
                            if (have - lastReport >= (512 << 10) || have == total) {
                                progress.update(have, total);
                                lastReport = have;
                            }
                        }
                    }
                    if (size >= 0 && have < size) {
                        throw new IOException("unexpected EOF after " + have + " of " + size + " bytes");
                    }
                }
                try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                if (!verify(partial, digest, size)) {
                    Files.deleteIfExists(partial);
                    throw BerthException.invalid("filesystem layer verification failed for digest %s", digest);
                }
                Files.move(partial, done, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                progress.update(Files.size(done), Files.size(done));
                return done;
            } catch (RegistryException ex) {
                if (ex.status() < 500 && ex.status() != 429) {
                    throw ex;
                }
                last = new IOException(ex.getMessage(), ex); // a server hiccup: try again, keeping what we have
                backoff(attempt);
            } catch (BerthException ex) {
                throw ex;
            } catch (IOException ex) {
                // Keep the partial file: the next attempt resumes from where this one stopped.
                last = ex;
                if (Thread.currentThread().isInterrupted()) {
                    throw ex;
                }
            }
        }
        throw last != null ? last : new IOException("cannot download " + digest);
    }

    private static void backoff(int attempt) throws java.io.InterruptedIOException {
        try {
            Thread.sleep(200L << Math.min(attempt, 4));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while retrying a download");
        }
    }

    static boolean verify(Path file, Digest digest, long size) throws IOException {
        if (size >= 0 && Files.size(file) != size) {
            return false;
        }
        MessageDigest md = Digest.newSha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 << 10];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return Digest.ofSha256(md).equals(digest);
    }
}
