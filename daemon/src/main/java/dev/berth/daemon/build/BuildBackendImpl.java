package dev.berth.daemon.build;

import dev.berth.api.backend.BuildBackend;
import dev.berth.api.backend.MessageSink;
import dev.berth.builder.context.TarBuildContext;
import dev.berth.builder.exec.BuildOutput;
import dev.berth.builder.exec.BuildQuery;
import dev.berth.builder.exec.Builder;
import dev.berth.builder.exec.CommandFailedException;
import dev.berth.common.BerthException;
import dev.berth.store.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /build} for the classic builder: reads the context into a private scratch
 * directory, runs {@link Builder} with the {@link DaemonBuildWorker}, and writes dockerd's JSON
 * messages. As dockerd does, an error before any output is thrown (an HTTP error status); after
 * output it is written in-band with {@code errorDetail.code} set to a failed RUN's exit code.
 * Thread-safe: each build has its own scratch directory.
 */
final class BuildBackendImpl implements BuildBackend {
    private final java.util.function.Function<RegistryAuths, Builder> builders;
    private final Path scratchRoot;
    private final BuildCache cache;
    private final BuildCacheUsage usage;
    private final RemoteContext remotes;

    /**
     * @param builders a builder whose worker pulls with the given credentials (one per build)
     * @param remotes fetches {@code remote=} contexts (git clones and downloads)
     */
    BuildBackendImpl(java.util.function.Function<RegistryAuths, Builder> builders, Path scratchRoot, BuildCache cache,
                     BuildCacheUsage usage, RemoteContext remotes) {
        this.builders = builders;
        this.scratchRoot = scratchRoot;
        this.cache = cache;
        this.usage = usage;
        this.remotes = remotes;
    }

    @Override
    public void build(InputStream context, Map<String, List<String>> query, String registryConfig, MessageSink out) {
        BuildQuery.Parsed parsed = BuildQuery.parse(query);
        Path scratch = scratchRoot.resolve("ctx-" + UUID.randomUUID());
        Sink sink = new Sink(out);
        TarBuildContext ctx = null;
        RemoteContext.Fetched remote = null;
        try {
            InputStream body = context;
            String dockerfile = parsed.dockerfile();
            String remoteParam = firstNonEmpty(query.get("remote"));
            if (remoteParam != null) {
                // dockerd ignores the body when remote is set: the context comes from the URL
                boolean quiet = parsed.options().quiet();
                remote = remotes.fetch(remoteParam, dockerfile, m -> {
                    if (!quiet) {
                        sink.message(m);
                    }
                });
                body = remote.tar();
                dockerfile = remote.dockerfile();
            }
            ctx = TarBuildContext.read(new TarTrailer(decompressed(body)), scratch);
            dev.berth.builder.context.BuildContext raw = ctx;
            var options = parsed.options();
            if (options.runMounts() != null) {
                // berth's CLI sends the build's secrets inside the context, under .berth-secrets/<id>;
                // they are read here and hidden from the build (never COPYable, never in an image)
                options = options.withRunMounts(new dev.berth.builder.exec.RunMounts(secrets(ctx)));
                raw = new dev.berth.builder.context.FilteredBuildContext(ctx,
                        new dev.berth.builder.ignore.PatternMatcher(List.of(SECRETS_DIR)));
            }
            Builder.Prepared prepared = Builder.prepare(raw, dockerfile);
            if (remote != null && remote.dockerfileOnly()) {
                // a remote Dockerfile comes without a context (dockerd builds it with none): nothing to COPY
                prepared = new Builder.Prepared(prepared.dockerfile(),
                        new dev.berth.builder.context.MapBuildContext(Map.of(), e -> InputStream.nullInputStream()));
            }
            Builder builder = builders.apply(RegistryAuths.parse(registryConfig));
            var result = builder.build(prepared.dockerfile(), prepared.context(), options, sink);
            if (parsed.options().quiet()) {
                // dockerd: with -q the output is just the image id, which the CLI prints
                sink.stream(result.imageId() + "\n");
            }
        } catch (IOException e) {
            fail(sink, BerthException.invalid("reading the build context failed: %s", e.getMessage()));
        } catch (UncheckedIOException e) {
            fail(sink, BerthException.invalid("%s", e.getCause().getMessage()));
        } catch (RuntimeException e) {
            fail(sink, e);
        } finally {
            cache.flush();
            if (ctx != null) {
                ctx.close();
            }
            if (remote != null) {
                remote.close(); // removes the clone's tar or the download
            }
            try {
                AtomicFiles.deleteTree(scratch);
            } catch (IOException ignored) {
                // swept at next start
            }
        }
    }

    private static String firstNonEmpty(List<String> values) {
        return values == null || values.isEmpty() || values.getFirst() == null || values.getFirst().isEmpty()
                ? null : values.getFirst();
    }

    /** Where berth's CLI puts build secrets in the context tar (one file per secret id). */
    static final String SECRETS_DIR = ".berth-secrets";

    private static Map<String, byte[]> secrets(TarBuildContext ctx) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (var e : ctx.entries()) {
            String p = e.path();
            if (p.startsWith(SECRETS_DIR + "/") && e.type() == dev.berth.builder.context.ContextEntry.Type.FILE) {
                try (InputStream in = ctx.open(p)) {
                    out.put(p.substring(SECRETS_DIR.length() + 1), in.readAllBytes());
                }
            }
        }
        return out;
    }

    /** The plain tar of a possibly compressed context (gzip, bzip2, xz: detected from the content). */
    private static InputStream decompressed(InputStream in) throws IOException {
        InputStream buffered = new java.io.BufferedInputStream(in, 64 * 1024);
        try {
            String kind = org.apache.commons.compress.compressors.CompressorStreamFactory.detect(buffered);
            return new org.apache.commons.compress.compressors.CompressorStreamFactory()
                    .createCompressorInputStream(kind, buffered);
        } catch (org.apache.commons.compress.compressors.CompressorException notCompressed) {
            return buffered;
        }
    }

    private static void fail(Sink sink, RuntimeException e) {
        if (!sink.sent) {
            throw e;
        }
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        Map<String, Object> detail = new LinkedHashMap<>();
        if (e instanceof CommandFailedException cf) {
            detail.put("code", cf.exitCode());
        }
        detail.put("message", msg);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("errorDetail", detail);
        m.put("error", msg);
        sink.send(m);
    }

    @Override
    public long prune() {
        return usage.prune();
    }

    /** BuildOutput onto the JSON message stream; remembers whether anything was sent. */
    private static final class Sink implements BuildOutput {
        private final MessageSink out;
        boolean sent;

        Sink(MessageSink out) {
            this.out = out;
        }

        void send(Object value) {
            sent = true;
            try {
                out.send(value);
            } catch (IOException e) {
                throw new BerthException(dev.berth.common.ErrorKind.UNAVAILABLE, "client went away: " + e.getMessage());
            }
        }

        @Override
        public void stream(String text) {
            send(Map.of("stream", text));
        }

        @Override
        public void aux(String imageId) {
            send(Map.of("aux", Map.of("ID", imageId)));
        }

        @Override
        public void message(Object jsonMessage) {
            send(jsonMessage);
        }

        @Override
        public boolean cancelled() {
            return out.isClosed();
        }
    }
}
