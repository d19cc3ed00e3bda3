package dev.berth.daemon.build;

import dev.berth.builder.context.GoPath;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.store.AtomicFiles;
import dev.berth.sys.proc.ProcessLauncher;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@link RemoteContext} as dockerd's {@code remotecontext.Detect} chooses: {@code client-session}
 * is refused, a git URL is cloned ({@link GitCloner}) and tarred ({@link DirectoryTar}), another
 * http(s) URL is downloaded ({@link UrlDownloader}) and classified ({@link ContentTypes}).
 * Each fetch works in its own directory under the scratch root (the daemon empties that root at
 * start, so even a crash leaves nothing for long). Thread-safe.
 */
final class RemoteContextFetcher implements RemoteContext {
    /** The Docker classic builder's session remote, which only BuildKit ever supported. */
    static final String CLIENT_SESSION = "client-session";

    /**
     * @param maxBytes largest download, and largest total file size of a git context
     * @param connectTimeout TCP/TLS connect (and response header) bound for HTTP requests
     * @param downloadTimeout bound on a whole download
     * @param gitTimeout bound on all git commands of one clone together
     */
    record Limits(long maxBytes, Duration connectTimeout, Duration downloadTimeout, Duration gitTimeout) {
        /** 2 GiB, 30 s to connect, 15 minutes per download or clone. */
        static Limits defaults() {
            return new Limits(2L << 30, Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofMinutes(15));
        }
    }

    private final Path scratchRoot;
    private final UrlDownloader http;
    private final GitCloner git;
    private final Limits limits;

    RemoteContextFetcher(Path scratchRoot, ProcessLauncher launcher, String gitBinary, Limits limits) {
        this.scratchRoot = scratchRoot;
        this.limits = limits;
        this.http = new UrlDownloader(limits.connectTimeout());
        this.git = new GitCloner(launcher, http, gitBinary);
    }

    @Override
    public Fetched fetch(String remote, String dockerfile, Consumer<Map<String, Object>> progress) throws IOException {
        if (remote.equals(CLIENT_SESSION)) {
            throw BerthException.invalid("experimental session with v1 builder is no longer supported, "
                    + "use builder version v2 (BuildKit) instead");
        }
        boolean isGit = RemoteUrls.isGitUrl(remote);
        if (!isGit && !RemoteUrls.isUrl(remote)) {
            throw new BerthException(ErrorKind.INTERNAL, "remoteURL (%s) could not be recognized as URL".formatted(remote));
        }
        RemoteUrls.GitRemote repo = isGit ? RemoteUrls.parseGit(remote) : null;
        Path dir = scratchRoot.resolve("remote-" + UUID.randomUUID());
        Files.createDirectories(dir);
        boolean ok = false;
        try {
            Fetched f = isGit ? fromGit(repo, dockerfile, dir) : fromUrl(remote, dockerfile, dir, progress);
            ok = true;
            return f;
        } finally {
            if (!ok) {
                delete(dir);
            }
        }
    }

    private Fetched fromGit(RemoteUrls.GitRemote repo, String dockerfile, Path dir) throws IOException {
        Path checkout = Files.createDirectories(dir.resolve("repo"));
        Path context = git.checkout(repo, checkout, Instant.now().plus(limits.gitTimeout()));
        Path tar = dir.resolve("context.tar");
        try (OutputStream out = Files.newOutputStream(tar)) {
            DirectoryTar.write(context, out, limits.maxBytes());
        }
        AtomicFiles.deleteTree(checkout); // only the tar is needed from here on
        return new Fetched(Files.newInputStream(tar), dockerfile, false, () -> delete(dir));
    }

    /** Downloads on its own thread so that a stalled server cannot hold the build past the deadline. */
    private Fetched fromUrl(String url, String dockerfile, Path dir, Consumer<Map<String, Object>> progress)
            throws IOException {
        FutureTask<Fetched> task = new FutureTask<>(() -> download(url, dockerfile, dir, progress));
        Thread t = Thread.ofVirtual().name("remote-context").start(task);
        try {
            return task.get(limits.downloadTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stop(t);
            throw new BerthException(ErrorKind.INTERNAL, "error downloading remote context %s: timed out after %s"
                    .formatted(url, limits.downloadTimeout()));
        } catch (InterruptedException e) {
            stop(t);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while downloading " + url);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException re -> throw re;
                case Error err -> throw err;
                default -> throw new IOException(e.getCause());
            }
        }
    }

    /** Interrupts the download (a blocked read of the HTTP body ends) and waits for it to let go of its files. */
    private static void stop(Thread t) {
        t.interrupt();
        try {
            t.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Fetched download(String url, String dockerfile, Path dir, Consumer<Map<String, Object>> progress)
            throws IOException {
        UrlDownloader.Response r;
        try {
            r = http.get(url);
        } catch (BerthException e) {
            throw new BerthException(e.kind(), "error downloading remote context %s: %s".formatted(url, e.getMessage()));
        }
        Path file = dir.resolve("download");
        ContentTypes.Kind kind;
        try (InputStream body = r.body()) {
            long clen = r.contentLength();
            int plen = clen <= 0 || clen > ContentTypes.MAX_PREAMBLE ? ContentTypes.MAX_PREAMBLE : (int) clen;
            byte[] preamble = body.readNBytes(plen);
            try {
                if (preamble.length == 0) {
                    throw new IllegalArgumentException("empty response");
                }
                kind = ContentTypes.classify(r.contentType(), preamble, preamble.length);
            } catch (IllegalArgumentException e) {
                // decided before any output, so the client gets an HTTP error status, as from dockerd
                throw new BerthException(ErrorKind.INTERNAL, "error detecting content type for remote %s: %s"
                        .formatted(url, e.getMessage()));
            }
            Progress p = new Progress(url, progress);
            UrlDownloader.copyBounded(new SequenceInputStream(new java.io.ByteArrayInputStream(preamble), body), file,
                    limits.maxBytes(), "remote context " + url, p::update);
            p.done();
        }
        if (kind == ContentTypes.Kind.ARCHIVE) {
            return new Fetched(Files.newInputStream(file), dockerfile, false, () -> delete(dir));
        }
        // a plain-text body is the Dockerfile: wrap it as a one-file context under the requested name
        String name = GoPath.contextPath(dockerfile == null ? "" : dockerfile);
        name = name.isEmpty() ? "Dockerfile" : name;
        Path tar = dir.resolve("context.tar");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar),
                StandardCharsets.UTF_8.name())) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(Files.size(file));
            e.setMode(0644);
            out.putArchiveEntry(e);
            Files.copy(file, out);
            out.closeArchiveEntry();
        }
        Files.delete(file);
        return new Fetched(Files.newInputStream(tar), name, true, () -> delete(dir));
    }

    private static void delete(Path dir) {
        try {
            AtomicFiles.deleteTree(dir);
        } catch (IOException ignored) {
            // best effort: the scratch root is emptied when the daemon starts
        }
    }

    /**
     * dockerd's progress reader on the download ("Downloading context", id = the URL): a message
     * every 512 kB (at most ten a second) and one at the end. Confined to the download thread.
     */
    private static final class Progress {
        private static final long EVERY = 512 * 1024;
        private final String url;
        private final Consumer<Map<String, Object>> sink;
        private long current;
        private long lastUpdate;
        private long lastSentNanos;

        Progress(String url, Consumer<Map<String, Object>> sink) {
            this.url = url;
            this.sink = sink;
        }

        void update(long total) {
            current = total;
            long now = System.nanoTime();
            if (current - lastUpdate > EVERY && now - lastSentNanos >= 100_000_000L) {
                send();
                lastUpdate = current;
                lastSentNanos = now;
            }
        }

        void done() {
            send();
        }

        private void send() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", "Downloading context");
            m.put("progressDetail", Map.of("current", current));
            m.put("progress", "%8s".formatted(humanSize(current)));
            m.put("id", url);
            sink.accept(m);
        }
    }

    /** go-units' HumanSize: decimal units, four significant digits ("1.024kB", "12.5MB"). */
    static String humanSize(double size) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
        int i = 0;
        while (size >= 1000 && i < units.length - 1) {
            size /= 1000;
            i++;
        }
        BigDecimal d = new BigDecimal(size).round(new MathContext(4)).stripTrailingZeros();
        return d.toPlainString() + units[i];
    }
}
