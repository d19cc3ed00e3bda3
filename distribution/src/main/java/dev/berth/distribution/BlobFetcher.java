package dev.berth.distribution;

import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Downloads blobs into an ingest directory and hands them out as streams that can be consumed
 * while they arrive. A download goes to {@code <ingest>/<algo>-<hex>.partial} while it is hashed;
 * after an interruption the partial file is kept and the next attempt (in this process or after a
 * restart) resumes it with an HTTP {@code Range} request. Only when size and digest match is it
 * renamed to {@code <algo>-<hex>}; that file stays until the last holder {@link #release releases}
 * it, so a daemon killed mid-pull finds it at the next pull and does not download it again.
 *
 * <p>Concurrent requests for one digest in this process share a single download: the first
 * streams it, the others wait for the verified file (reference counted). One instance per
 * daemon, shared by all pulls; thread-safe.
 *
 * <p>Durability: partial files are not fsynced. Why: they are checked against their digest before
 * anything trusts them, so data lost in an OS crash costs at most one failed attempt, never a
 * wrong layer; fsyncing every download would put the disk on a pull's critical path.
 */
public final class BlobFetcher {
    /** Download progress: bytes so far (including resumed bytes) of total. */
    @FunctionalInterface
    public interface Progress {
        void update(long current, long total);
    }

    /** A download that receives nothing for this long is cut and resumed. */
    static final java.time.Duration DEFAULT_STALL = java.time.Duration.ofSeconds(60);
    /** dockerd's default {@code --max-download-attempts}. */
    static final int ATTEMPTS = 5;

    private final Path ingestDir;
    private final java.time.Duration stallTimeout;
    private final int attempts;
    private final Map<Digest, Entry> entries = new HashMap<>();

    /** Holders of one digest; {@code download} is the verified file, or null when nobody fetches it now. */
    private static final class Entry {
        CompletableFuture<Path> download;
        int refs;
    }

    public BlobFetcher(Path ingestDir) {
        this(ingestDir, DEFAULT_STALL);
    }

    /** @param stallTimeout a download that receives nothing for this long is cut and resumed */
    public BlobFetcher(Path ingestDir, java.time.Duration stallTimeout) {
        this(ingestDir, stallTimeout, ATTEMPTS);
    }

    /** @param attempts how often one layer is tried before the pull fails (dockerd's {@code --max-download-attempts}) */
    public BlobFetcher(Path ingestDir, java.time.Duration stallTimeout, int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("download attempts must be at least 1: " + attempts);
        }
        this.ingestDir = ingestDir;
        this.stallTimeout = stallTimeout;
        this.attempts = attempts;
        sweepTrash();
    }

    /** How often one layer is tried before the pull fails. */
    int attempts() {
        return attempts;
    }

    public Path ingestDir() {
        return ingestDir;
    }

    /** The partial file of a digest (exposed for tests and for cleaning up). */
    public Path partialPath(Digest digest) {
        return ingestDir.resolve(digest.algorithm() + "-" + digest.hex() + ".partial");
    }

    /** The verified file of a digest. */
    Path donePath(Digest digest) {
        return ingestDir.resolve(digest.algorithm() + "-" + digest.hex());
    }

    /**
     * Opens {@code digest} for reading as it downloads. Read the stream to its end: at the end
     * the content has been checked against size and digest (INVALID_ARGUMENT "filesystem layer
     * verification failed for digest …" when it does not match; the partial file is then
     * discarded), and the verified file stays in the ingest directory. Network failures while
     * reading are retried with range requests transparently. Closing the stream early abandons
     * the download (keeping the partial file for a resume). Every successful call must be paired
     * with {@link #release}, after the stream is closed.
     */
    public InputStream open(RegistryClient client, String repo, Digest digest, long size, Progress progress) throws IOException {
        Entry e;
        synchronized (entries) {
            e = entries.computeIfAbsent(digest, k -> new Entry());
            e.refs++;
        }
        try {
            return openHeld(e, client, repo, digest, size, progress);
        } catch (IOException | RuntimeException ex) {
            release(digest, true);
            throw ex;
        }
    }

    private InputStream openHeld(Entry e, RegistryClient client, String repo, Digest digest, long size, Progress progress)
            throws IOException {
        while (true) {
            CompletableFuture<Path> mine = null;
            CompletableFuture<Path> theirs;
            synchronized (entries) {
                if (e.download == null) {
                    e.download = mine = new CompletableFuture<>();
                }
                theirs = e.download;
            }
            if (mine != null) {
                return start(e, mine, client, repo, digest, size, progress);
            }
            try {
                Path done = theirs.get();
                progress.update(Files.size(done), Files.size(done));
                return Files.newInputStream(done);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for " + digest);
            } catch (ExecutionException ex) {
                if (ex.getCause() instanceof BerthException be) {
                    throw be; // the content is wrong: fetching it again would not help
                }
                // The other download was abandoned: go on from its partial file ourselves.
            }
        }
    }

    /** Becomes the downloader of {@code digest}: a verified file found on disk, or a stream from the registry. */
    private InputStream start(Entry e, CompletableFuture<Path> mine, RegistryClient client, String repo, Digest digest, long size,
            Progress progress) throws IOException {
        try {
            Files.createDirectories(ingestDir);
            Path done = donePath(digest);
            Path partial = partialPath(digest);
            // A file left by an earlier process (e.g. killed mid-pull): trusted only after a fresh check.
            if (Files.exists(done) && verifyFile(done, digest, size)) {
                finished(e, mine, done);
                progress.update(Files.size(done), Files.size(done));
                return Files.newInputStream(done);
            }
            Files.deleteIfExists(done);
            if (Files.exists(partial) && size >= 0 && Files.size(partial) >= size) {
                // Complete (or too long) from an earlier run: use it if it checks out, else start over.
                if (Files.size(partial) == size && verifyFile(partial, digest, size)) {
                    Files.move(partial, done, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    finished(e, mine, done);
                    progress.update(size, size);
                    return Files.newInputStream(done);
                }
                Files.delete(partial);
            }
            return new BlobDownload(this, client, repo, digest, size, partial, done, progress,
                    path -> finished(e, mine, path), failure -> abandoned(e, mine, failure));
        } catch (IOException | RuntimeException ex) {
            abandoned(e, mine, ex);
            throw ex;
        }
    }

    private void finished(Entry e, CompletableFuture<Path> mine, Path done) {
        mine.complete(done);
    }

    private void abandoned(Entry e, CompletableFuture<Path> mine, Throwable failure) {
        synchronized (entries) {
            if (e.download == mine) {
                e.download = null; // the next opener downloads (resuming the partial file)
            }
        }
        mine.completeExceptionally(failure);
    }

    java.time.Duration stallTimeout() {
        return stallTimeout;
    }

    /**
     * Returns the verified file of {@code digest}, downloading it unless another caller is
     * already doing so. Every successful call must be paired with {@link #release}. Throws
     * INVALID_ARGUMENT when the content does not match the digest.
     */
    public Path fetch(RegistryClient client, String repo, Digest digest, long size, Progress progress) throws IOException {
        InputStream in = open(client, repo, digest, size, progress);
        try (in) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException ex) {
            release(digest, true);
            throw ex;
        }
        return donePath(digest);
    }

    /** Drops one hold on {@code digest}; the last one deletes the verified file. */
    public void release(Digest digest) {
        release(digest, false);
    }

    /**
     * Drops one hold on {@code digest} (close its stream first). When it was the last:
     * {@code keep} leaves the verified or partial file for a later attempt (a pull that failed
     * for a reason a retry may not meet again, e.g. the network), otherwise both are deleted.
     */
    public void release(Digest digest, boolean keep) {
        synchronized (entries) {
            Entry e = entries.get(digest);
            if (e == null || --e.refs > 0) {
                return;
            }
            entries.remove(digest);
            if (keep) {
                return;
            }
            for (Path p : new Path[] {donePath(digest), partialPath(digest)}) {
                discard(p);
            }
        }
    }

    /**
     * Deletes a file off the caller's path: renamed away at once (so the next fetch of the digest
     * never sees it), unlinked in the background. Why: unlinking a big file takes milliseconds
     * per file and would delay the end of every pull. A crash leaves a {@code .trash-} file,
     * swept at the next start.
     */
    private void discard(Path p) {
        try {
            Path trash = ingestDir.resolve(TRASH_PREFIX + p.getFileName() + "-" + java.util.UUID.randomUUID());
            Files.move(p, trash, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Thread.ofVirtual().name("ingest-discard").start(() -> {
                try {
                    Files.deleteIfExists(trash);
                } catch (IOException ignored) {
                    // swept at the next start
                }
            });
        } catch (java.nio.file.NoSuchFileException ignored) {
            // nothing to delete
        } catch (IOException ignored) {
            // a leftover in ingest is harmless: the next pull of that blob checks and uses it
        }
    }

    private static final String TRASH_PREFIX = ".trash-";

    /** Deletes trash left by a crash (called once, before the first download). */
    private void sweepTrash() {
        try (var s = Files.newDirectoryStream(ingestDir, TRASH_PREFIX + "*")) {
            for (Path p : s) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // missing directory or a race with another sweep: nothing to do
        }
    }

    static void backoff(int attempt) throws java.io.InterruptedIOException {
        try {
            Thread.sleep(200L << Math.min(attempt, 4));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while retrying a download");
        }
    }

    static boolean verifyFile(Path file, Digest digest, long size) throws IOException {
        if (size >= 0 && Files.size(file) != size) {
            return false;
        }
        MessageDigest md = Digest.newSha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[256 << 10];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return Digest.ofSha256(md).equals(digest);
    }
}
