package dev.berth.distribution;

import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.function.Consumer;

/**
 * One blob streamed from a registry while its reader consumes it (a pull unpacks a layer as it
 * arrives): every byte is hashed once, appended to the partial file (for resuming) and handed on.
 * Bytes of a partial file left by an earlier attempt are read from it first, then the registry
 * is asked for the rest with a {@code Range} request. A broken or stalled connection is resumed
 * the same way, invisibly to the reader, up to {@link BlobFetcher#attempts} times. At the end of
 * the blob, size and digest are checked before {@code read} returns -1: a mismatch throws
 * INVALID_ARGUMENT (dockerd's "filesystem layer verification failed for digest …") and deletes
 * the partial file; a match renames it to the verified file. Used by one thread.
 */
final class BlobDownload extends InputStream {
    private static final int REPORT_EVERY = 512 << 10;
    private static final int REPORT_MILLIS = 100;
    private static final int WRITE_BUFFER = 1 << 20;

    private final RegistryClient client;
    private final String repo;
    private final Digest digest;
    private final long size;
    private final Path partial;
    private final Path done;
    private final BlobFetcher.Progress progress;
    private final Consumer<Path> onDone;
    private final Consumer<Throwable> onAbandon;
    private final java.time.Duration stallTimeout;
    private final int attempts;
    private final MessageDigest md = Digest.newSha256();
    private final long prefixEnd;
    private InputStream prefix;
    private FileOutputStream out;
    private final byte[] wbuf = new byte[WRITE_BUFFER];
    private int wlen;
    private InputStream net;
    private StallGuard guard;
    private long pos;
    private long reported = -1;
    private long reportedAt = System.nanoTime();
    private int failures;
    private boolean finished;
    private boolean abandoned;
    private boolean closed;

    BlobDownload(BlobFetcher fetcher, RegistryClient client, String repo, Digest digest, long size, Path partial, Path done,
            BlobFetcher.Progress progress, Consumer<Path> onDone, Consumer<Throwable> onAbandon) throws IOException {
        this.client = client;
        this.repo = repo;
        this.digest = digest;
        this.size = size;
        this.partial = partial;
        this.done = done;
        this.progress = progress;
        this.onDone = onDone;
        this.onAbandon = onAbandon;
        this.stallTimeout = fetcher.stallTimeout();
        this.attempts = fetcher.attempts();
        this.prefixEnd = Files.exists(partial) ? Files.size(partial) : 0;
        if (prefixEnd > 0) {
            prefix = Files.newInputStream(partial);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (finished) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (prefix != null) {
                int n = prefix.read(b, off, (int) Math.min(len, prefixEnd - pos));
                if (n > 0) {
                    md.update(b, off, n);
                    pos += n;
                    report();
                    return n;
                }
                prefix.close();
                prefix = null;
                continue;
            }
            if (net == null) {
                connect();
                continue;
            }
            int n;
            try {
                n = net.read(b, off, len);
            } catch (IOException ex) {
                dropConnection();
                retryOrFail(ex);
                continue;
            }
            if (n > 0) {
                guard.progressed();
                if (size >= 0 && pos + n > size) {
                    throw fail(BerthException.invalid("blob %s is larger than its descriptor says (%d bytes)", digest, size), true);
                }
                md.update(b, off, n);
                append(b, off, n);
                pos += n;
                report();
                return n;
            }
            dropConnection();
            if (size >= 0 && pos < size) {
                retryOrFail(new IOException("unexpected EOF after " + pos + " of " + size + " bytes of " + digest));
                continue;
            }
            finish();
            return -1;
        }
    }

    private void connect() throws IOException {
        while (true) {
            HttpResponse<InputStream> r;
            try {
                r = client.blobs().open(repo, digest, pos);
            } catch (RegistryException ex) {
                if (ex.status() == 416 || (ex.status() < 500 && ex.status() != 429)) {
                    throw fail(ex, ex.status() == 416); // 416: our partial file is longer than the blob
                }
                retryOrFail(new IOException(ex.getMessage(), ex));
                continue;
            } catch (IOException ex) {
                retryOrFail(ex);
                continue;
            }
            InputStream in = r.body();
            if (pos > 0 && r.statusCode() != 206) {
                // The registry ignored the range and sends everything: skip what we already have.
                long skipped = in.skip(pos);
                while (skipped < pos && in.read() >= 0) {
                    skipped++;
                    skipped += in.skip(pos - skipped);
                }
                if (skipped < pos) {
                    in.close();
                    retryOrFail(new IOException("registry sent fewer bytes than already downloaded for " + digest));
                    continue;
                }
            }
            net = in;
            guard = new StallGuard(in, stallTimeout);
            reported = pos;
            progress.update(pos, size);
            return;
        }
    }

    private void retryOrFail(IOException ex) throws IOException {
        boolean interrupted = Thread.currentThread().isInterrupted() || ex instanceof InterruptedIOException
                || ex.getCause() instanceof InterruptedException;
        if (interrupted || closed || ++failures >= attempts) {
            throw fail(ex, false);
        }
        BlobFetcher.backoff(failures - 1);
    }

    private void append(byte[] b, int off, int len) throws IOException {
        if (wlen + len > wbuf.length) {
            flush();
        }
        if (len >= wbuf.length) {
            out().write(b, off, len);
        } else {
            System.arraycopy(b, off, wbuf, wlen, len);
            wlen += len;
        }
    }

    private FileOutputStream out() throws IOException {
        if (out == null) {
            // Not a channel: a write in an interrupted thread (a cancelled pull) must still land.
            out = new FileOutputStream(partial.toFile(), true);
        }
        return out;
    }

    private void flush() throws IOException {
        if (wlen > 0) {
            out().write(wbuf, 0, wlen);
            wlen = 0;
        }
    }

    /**
     * Progress at most every {@value #REPORT_EVERY} bytes and {@value #REPORT_MILLIS} ms (as dockerd's
     * progress reader): each report becomes a JSON message with a formatted bar, and hundreds per
     * layer cost the pull measurable CPU for no visible gain.
     */
    private void report() {
        if (pos == size) {
            reported = pos;
            progress.update(pos, size);
            return;
        }
        if (pos - reported >= REPORT_EVERY) {
            long now = System.nanoTime();
            if (now - reportedAt >= REPORT_MILLIS * 1_000_000L) {
                reported = pos;
                reportedAt = now;
                progress.update(pos, size);
            }
        }
    }

    private void finish() throws IOException {
        flush();
        out().close();
        if (!Digest.ofSha256(md).equals(digest)) {
            throw fail(BerthException.invalid("filesystem layer verification failed for digest %s", digest), true);
        }
        Files.move(partial, done, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        finished = true;
        progress.update(pos, pos);
        onDone.accept(done);
    }

    /** Gives the download up (keeping the partial file unless {@code discard}) and returns {@code ex} to throw. */
    private <E extends Exception> E fail(E ex, boolean discard) {
        dropConnection();
        try {
            if (discard) {
                wlen = 0;
                if (out != null) {
                    out.close();
                }
                Files.deleteIfExists(partial);
            } else {
                flush();
            }
        } catch (IOException cleanup) {
            ex.addSuppressed(cleanup);
        }
        abandon(ex);
        return ex;
    }

    private void abandon(Throwable why) {
        if (!abandoned && !finished) {
            abandoned = true;
            onAbandon.accept(why);
        }
    }

    private void dropConnection() {
        if (guard != null) {
            guard.close();
            guard = null;
        }
        if (net != null) {
            try {
                net.close();
            } catch (IOException ignored) {
                // the connection is given up either way
            }
            net = null;
        }
    }

    /** Closing before the end abandons the download; the partial file stays for a resume. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        dropConnection();
        if (prefix != null) {
            prefix.close();
        }
        try {
            if (!finished) {
                flush();
            }
        } finally {
            if (out != null) {
                out.close();
            }
            abandon(new IOException("download of " + digest + " was abandoned after " + pos + " bytes"));
        }
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
}
