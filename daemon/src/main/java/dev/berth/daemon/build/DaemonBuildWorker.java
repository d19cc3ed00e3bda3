package dev.berth.daemon.build;

import dev.berth.api.backend.ContainerBackend;
import dev.berth.api.backend.ImageBackend;
import dev.berth.api.backend.MessageSink;
import dev.berth.api.backend.OutputSink;
import dev.berth.api.backend.StdStream;
import dev.berth.api.model.ContainerCreateRequest;
import dev.berth.api.model.ContainerWaitResponse;
import dev.berth.api.model.HostConfig;
import dev.berth.builder.exec.BuildOutput;
import dev.berth.builder.exec.BuildWorker;
import dev.berth.builder.exec.BuildWorker.RunMount;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Json;
import dev.berth.daemon.events.EventPublisher;
import dev.berth.image.ImageService;
import dev.berth.image.ImageTree;
import dev.berth.oci.image.ImageConfig;
import dev.berth.image.LocalImage;
import dev.berth.oci.ref.Reference;
import dev.berth.store.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The daemon's {@link BuildWorker}: RUN goes through the container backend (create, start,
 * follow the logs into the build output, wait, keep the stopped container for commit); commits,
 * COPY/ADD layers and config-only steps go straight to the {@link ImageService}; base images are
 * pulled through the image backend. Cache hits come from the {@link BuildCache}. Stateless apart
 * from the cache; thread-safe.
 */
final class DaemonBuildWorker implements BuildWorker {
    private final ImageService images;
    private final ContainerBackend containers;
    private final ImageBackend imageBackend;
    private final BuildCache cache;
    private final Path scratch;
    private final CopyWriter copies;
    private final RegistryAuths auths;
    private final EventPublisher events;
    private final dev.berth.daemon.config.RemapMappings remap;

    /**
     * @param auths the build's registry credentials ({@code X-Registry-Config}), for pulling base images
     * @param remap how a RUN container's files map to the ids its layer must carry ({@code --userns-remap})
     */
    DaemonBuildWorker(ImageService images, ContainerBackend containers, ImageBackend imageBackend, BuildCache cache,
                      Path scratch, RegistryAuths auths, EventPublisher events, dev.berth.daemon.config.RemapMappings remap) {
        this.remap = remap;
        this.auths = auths;
        this.events = events;
        this.images = images;
        this.containers = containers;
        this.imageBackend = imageBackend;
        this.cache = cache;
        this.scratch = scratch;
        this.copies = new CopyWriter(images);
    }

    @Override
    public BaseImage resolveImage(String reference, String platform, boolean pull, BuildOutput out) {
        Optional<LocalImage> local = images.find(reference);
        if (local.isEmpty() || pull) {
            // as dockerd's classic builder: with pull=1 a failed pull fails the build even when the
            // image is present locally
            imageBackend.pull(reference, null, platform, auths.forImage(reference), new MessageSink() {
                @Override
                public void send(Object value) {
                    out.message(value);
                }

                @Override
                public boolean isClosed() {
                    return false;
                }
            });
            local = images.find(reference);
        }
        LocalImage img = local.orElseThrow(() -> BerthException.notFound("No such image: %s", reference));
        var cfg = images.imageConfig(img.id());
        return new BaseImage(img.id(), cfg.config(), cfg.author());
    }

    @Override
    public Optional<String> findCached(String cacheKey) {
        return cache.get(cacheKey).filter(id -> images.find(id).isPresent());
    }

    /** How {@code system df} describes a cached step: the instruction, without the #(nop) shell. */
    static String describe(String createdBy) {
        if (createdBy == null) {
            return "";
        }
        int nop = createdBy.indexOf("#(nop) ");
        return nop >= 0 ? createdBy.substring(nop + 7).strip() : "RUN " + createdBy;
    }

    /**
     * The classic builder's {@code --cache-from} match: walking each source image and its local
     * parents, an image whose history is the parent's history plus one entry made by exactly
     * {@code createdBy}, and whose layers are the parent's plus at most one, can stand in for the
     * step. Sources that are not present locally are skipped (dockerd does not pull them either).
     */
    @Override
    public Optional<String> findInCacheSources(List<String> sources, String parentImageId, String createdBy) {
        ImageConfig parent = parentImageId == null ? null : images.imageConfig(parentImageId);
        List<ImageConfig.History> ph = history(parent);
        List<String> pd = diffIds(parent);
        for (String src : sources) {
            Optional<LocalImage> img;
            try {
                img = images.find(src);
            } catch (RuntimeException e) {
                img = Optional.empty(); // not a valid reference: skipped like a missing one
            }
            String id = img.map(LocalImage::id).orElse(null);
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (id != null && seen.add(id)) {
                ImageConfig c = images.imageConfig(id);
                List<ImageConfig.History> h = history(c);
                List<String> d = diffIds(c);
                if (h.size() <= ph.size()) {
                    break;
                }
                if (h.size() == ph.size() + 1 && h.subList(0, ph.size()).equals(ph)
                        && d.size() >= pd.size() && d.size() <= pd.size() + 1 && d.subList(0, pd.size()).equals(pd)
                        && createdBy.equals(h.getLast().createdBy())) {
                    return Optional.of(id);
                }
                id = images.find(id).map(LocalImage::parent).filter(p -> p != null && !p.isEmpty()).orElse(null);
            }
        }
        return Optional.empty();
    }

    private static List<ImageConfig.History> history(ImageConfig c) {
        return c == null || c.history() == null ? List.of() : c.history();
    }

    private static List<String> diffIds(ImageConfig c) {
        return c == null || c.rootfs() == null || c.rootfs().diffIds() == null ? List.of() : c.rootfs().diffIds();
    }

    @Override
    public RunResult run(RunRequest request, Consumer<String> onCreated, BuildOutput out) {
        if (request.parentImageId() == null) {
            // dockerd runs the container on an empty root file system and the runtime fails to find
            // the shell; nothing can run there, so give its error without creating a container
            throw BerthException.invalid("failed to create shim task: OCI runtime create failed: runc create failed: "
                    + "unable to start container process: exec: \"%s\": stat %s: no such file or directory: unknown",
                    request.argv().getFirst(), request.argv().getFirst());
        }
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("Image", request.parentImageId());
        cfg.put("Cmd", request.argv());
        cfg.put("Entrypoint", List.of("")); // RUN's argv already holds the shell: no image entrypoint
        cfg.put("Env", request.env());
        cfg.put("User", request.user() == null ? "" : request.user());
        cfg.put("WorkingDir", request.workingDir() == null ? "" : request.workingDir());
        cfg.put("AttachStdout", true);
        cfg.put("AttachStderr", true);
        var res = request.resources();
        Map<String, Object> hc = new LinkedHashMap<>();
        String net = request.networkMode();
        hc.put("NetworkMode", net == null || net.isEmpty() || net.equals("default") ? "bridge" : net);
        if (res.memory() > 0) {
            hc.put("Memory", res.memory());
        }
        if (res.memorySwap() != 0) {
            hc.put("MemorySwap", res.memorySwap());
        }
        if (res.shmSize() > 0) {
            hc.put("ShmSize", res.shmSize());
        }
        if (res.cpuShares() > 0) {
            hc.put("CpuShares", res.cpuShares());
        }
        if (res.cpuPeriod() > 0) {
            hc.put("CpuPeriod", res.cpuPeriod());
        }
        if (res.cpuQuota() > 0) {
            hc.put("CpuQuota", res.cpuQuota());
        }
        if (res.cpusetCpus() != null && !res.cpusetCpus().isEmpty()) {
            hc.put("CpusetCpus", res.cpusetCpus());
        }
        if (res.cpusetMems() != null && !res.cpusetMems().isEmpty()) {
            hc.put("CpusetMems", res.cpusetMems());
        }
        if (!res.extraHosts().isEmpty()) {
            hc.put("ExtraHosts", res.extraHosts());
        }
        List<Path> secretFiles = new java.util.ArrayList<>();
        if (!request.mounts().isEmpty()) {
            hc.put("Mounts", mounts(request.mounts(), secretFiles));
        }
        var config = Json.mapper().convertValue(cfg, dev.berth.api.model.ContainerConfig.class);
        HostConfig host = Json.mapper().convertValue(hc, HostConfig.class);
        try {
            return runContainer(config, host, onCreated, out);
        } finally {
            for (Path f : secretFiles) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // swept with the scratch directory at the next start
                }
            }
        }
    }

    /**
     * RUN --mount as bind mounts: a cache is a directory under {@code <dataRoot>/builder/cache-mounts}
     * named by the hash of its id (kept between builds); a secret is a 0400 file in the scratch
     * directory, mounted read-only and deleted when the RUN ends.
     */
    private List<Map<String, Object>> mounts(List<RunMount> mounts, List<Path> secretFiles) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        try {
            for (RunMount m : mounts) {
                Map<String, Object> spec = new LinkedHashMap<>();
                spec.put("Type", "bind");
                switch (m) {
                    case RunMount.Cache c -> {
                        Path dir = scratch.getParent().resolve("cache-mounts")
                                .resolve(dev.berth.common.Digest.sha256(c.id().getBytes(StandardCharsets.UTF_8)).hex());
                        Files.createDirectories(dir);
                        spec.put("Source", dir.toString());
                        spec.put("Target", c.target());
                        spec.put("ReadOnly", c.readOnly());
                    }
                    case RunMount.Secret sec -> {
                        Files.createDirectories(scratch);
                        Path f = scratch.resolve("secret-" + UUID.randomUUID());
                        secretFiles.add(f);
                        Files.write(f, sec.value());
                        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
                        spec.put("Source", f.toString());
                        spec.put("Target", sec.target());
                        spec.put("ReadOnly", true);
                    }
                }
                out.add(spec);
            }
        } catch (IOException e) {
            throw BerthException.internal("preparing RUN --mount failed: " + e.getMessage(), e);
        }
        return out;
    }

    private RunResult runContainer(dev.berth.api.model.ContainerConfig config, HostConfig host,
                                   Consumer<String> onCreated, BuildOutput out) {
        String id = containers.create(new ContainerCreateRequest(null, null, config, host, null)).id();
        onCreated.accept(id);
        var exited = containers.waitFor(id, "next-exit");
        // a silent RUN never notices a client that went away through a failed write: watch for it
        // and stop the container, as dockerd cancels the build with the request
        Thread watcher = Thread.ofVirtual().name("build-cancel-" + id.substring(0, 12)).start(() -> {
            while (!exited.isDone()) {
                if (out.cancelled()) {
                    try {
                        containers.kill(id, "KILL");
                    } catch (RuntimeException ignored) {
                        // already stopped
                    }
                    return;
                }
                try {
                    exited.get(250, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException again) {
                    // poll again
                } catch (InterruptedException | ExecutionException e) {
                    return;
                }
            }
        });
        try {
            containers.start(id, null);
            ContainerWaitResponse w = followToExit(id, exited, out);
            watcher.interrupt();
            if (out.cancelled()) {
                throw new BerthException(ErrorKind.UNAVAILABLE, "build canceled: the client went away");
            }
            if (w.error() != null && w.error().message() != null && !w.error().message().isEmpty()) {
                throw BerthException.internal("RUN container failed: " + w.error().message(), null);
            }
            return new RunResult(id, (int) w.statusCode());
        } catch (RuntimeException e) {
            // canceled, or failed to start: a RUN container must not outlive its build step. The
            // clean-up spawns runtime processes, which an interrupted thread cannot wait for: clear
            // the interrupt for it and restore it afterwards.
            boolean interrupted = Thread.interrupted();
            watcher.interrupt();
            try {
                containers.remove(id, true, true, false);
            } catch (RuntimeException ignored) {
                // already gone
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw e;
        }
    }

    /** Streams the container's output into the build as it comes, then waits for the exit. */
    private ContainerWaitResponse followToExit(String id, java.util.concurrent.CompletableFuture<ContainerWaitResponse> exited,
                                               BuildOutput out) {
        boolean[] gone = {false};
        containers.logs(id, new ContainerBackend.LogsOptions(true, true, true, 0, 0, false, "all"), new OutputSink() {
            @Override
            public void write(StdStream stream, byte[] data, int offset, int length) {
                try {
                    out.stream(new String(data, offset, length, StandardCharsets.UTF_8));
                } catch (RuntimeException e) {
                    gone[0] = true; // the client went away: stop following
                    throw e;
                }
            }

            @Override
            public void flush() {}

            @Override
            public boolean isClosed() {
                return gone[0];
            }
        });
        if (gone[0]) {
            throw new BerthException(ErrorKind.UNAVAILABLE, "build canceled: the client went away");
        }
        try {
            return exited.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorKind.UNAVAILABLE, "build interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : BerthException.internal(e.getMessage(), e);
        }
    }

    private static ImageService.CommitSpec spec(CommitRequest c) {
        return new ImageService.CommitSpec(c.parentImageId(), c.config(), c.author(), null, c.createdBy());
    }

    @Override
    public String commitContainer(String containerId, CommitRequest commit) {
        // a RUN container of a remapped daemon wrote shifted host ids: its layer must carry the container's
        String id = remap.enabled()
                ? CommitBackendImpl.commit(images, containerId, spec(commit), null,
                        remap.forContainer(containers.inspect(containerId, false).hostConfig()), scratch).id()
                : images.commit(containerId, spec(commit), null).id();
        cache.put(commit.cacheKey(), id, describe(commit.createdBy()));
        return id;
    }

    @Override
    public void removeContainer(String containerId) {
        containers.remove(containerId, true, true, false);
    }

    @Override
    public ConfigCommit commitConfig(CommitRequest commit, String createDirectory) {
        String id;
        ImageTree tree = createDirectory == null ? null : images.imageTree(commit.parentImageId());
        if (tree != null && !tree.isDirectory(createDirectory)) {
            String real = tree.realPath(createDirectory);
            id = withTar(commit, out -> {
                try (CopyTar tar = new CopyTar(out, tree)) {
                    tar.dir(real, 0755, 0, 0, System.currentTimeMillis());
                }
            });
        } else {
            id = images.createImage(spec(commit), null, null).id();
        }
        cache.put(commit.cacheKey(), id, describe(commit.createdBy()));
        return new ConfigCommit(id, null);
    }

    @Override
    public String copy(CopyRequest request) {
        String id = withTar(request.commit(), out -> copies.write(request, out));
        cache.put(request.commit().cacheKey(), id, describe(request.commit().createdBy()));
        return id;
    }

    /** Writes a layer tar to a scratch file, then makes the image from it. */
    private String withTar(CommitRequest commit, TarBody body) {
        Path tmp = scratch.resolve(AtomicFiles.TMP_PREFIX + "layer-" + UUID.randomUUID());
        try {
            Files.createDirectories(scratch);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.write(out);
            }
            try (InputStream in = Files.newInputStream(tmp)) {
                return images.createImage(spec(commit), in, null).id();
            }
        } catch (IOException e) {
            throw BerthException.internal("writing the layer failed: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // swept with the scratch directory
            }
        }
    }

    @FunctionalInterface
    interface TarBody {
        void write(OutputStream out) throws IOException;
    }

    @Override
    public Download download(String url, BuildOutput out) {
        try {
            Files.createDirectories(scratch);
            Path file = scratch.resolve("download-" + UUID.randomUUID());
            var client = java.net.http.HttpClient.newBuilder()
                    .followRedirects(java.net.http.HttpClient.Redirect.NORMAL).build();
            var resp = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofFile(file));
            if (resp.statusCode() >= 400) {
                Files.deleteIfExists(file);
                throw BerthException.invalid("failed to GET %s with status %d", url, resp.statusCode());
            }
            long mtime = resp.headers().firstValue("Last-Modified").map(v -> {
                try {
                    return java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toInstant().toEpochMilli();
                } catch (RuntimeException e) {
                    return 0L;
                }
            }).orElse(0L);
            String path = java.net.URI.create(url).getPath();
            String name = path == null || path.isEmpty() || path.endsWith("/") ? "" : path.substring(path.lastIndexOf('/') + 1);
            if (name.isEmpty()) {
                throw BerthException.invalid("cannot determine filename from url: %s", url);
            }
            return new Download(file, name, mtime);
        } catch (IOException e) {
            throw BerthException.invalid("failed to GET %s: %s", url, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorKind.UNAVAILABLE, "build interrupted");
        }
    }

    @Override
    public String tag(String imageId, String reference) {
        images.tag(imageId, reference);
        String name = Reference.parse(reference).withDefaultTag().familiarString();
        events.publish("image", "tag", imageId, Map.of("name", name));
        return name;
    }
}
