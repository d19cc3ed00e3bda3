package dev.berth.daemon.build;

import dev.berth.api.backend.BuildBackend;
import dev.berth.api.backend.CommitBackend;
import dev.berth.api.backend.ContainerBackend;
import dev.berth.api.backend.ImageBackend;
import dev.berth.builder.exec.Builder;
import dev.berth.daemon.events.EventPublisher;
import dev.berth.image.ImageService;
import dev.berth.store.AtomicFiles;
import dev.berth.sys.proc.ProcessLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The build and commit subsystem as the composition root sees it: {@code docker build} (classic
 * builder) and {@code docker commit}/{@code docker diff} backends. State lives under
 * {@code <dataRoot>/builder}: {@code cache.json} (cache key → image id) and {@code tmp/} (build
 * contexts and layer tars; emptied at start). Construct once after the image and container
 * backends exist; thread-safe.
 *
 */
public final class BuildModule {
    private final BuildBackend build;
    private final CommitBackend commit;
    private final BuildCacheUsage cacheUsage;

    private BuildModule(BuildBackend build, CommitBackend commit, BuildCacheUsage cacheUsage) {
        this.build = build;
        this.commit = commit;
        this.cacheUsage = cacheUsage;
    }

    /** The {@code POST /build} and {@code POST /build/prune} backend. */
    public BuildBackend build() {
        return build;
    }

    /** The {@code POST /commit} and {@code GET /containers/{id}/changes} backend. */
    public CommitBackend commit() {
        return commit;
    }

    /**
     * The {@code BuildCache} array of {@code GET /system/df}: one entry per cached build step
     * (keys ID, Parent, Parents, Type "regular", Description = the instruction, InUse, Shared, Size,
     * CreatedAt, LastUsedAt, UsageCount, as in the swagger). Shared entries are layers of tagged
     * images (already counted under Images; the CLI leaves them out of the build cache size).
     * Thread-safe; reads the image and container lists.
     */
    public java.util.List<java.util.Map<String, Object>> buildCacheEntries() {
        return cacheUsage.entries();
    }

    /**
     * @param dataRoot the daemon's data root
     * @param images the image store
     * @param containers the container backend (RUN containers are ordinary containers)
     * @param imageBackend used to pull base images that are not present
     */
    public static BuildModule create(Path dataRoot, ImageService images, ContainerBackend containers,
                                     ImageBackend imageBackend) {
        return create(dataRoot, images, containers, imageBackend, (type, action, id, attrs) -> {});
    }

    /**
     * As {@link #create(Path, ImageService, ContainerBackend, ImageBackend)}, publishing Docker's
     * events: {@code container commit} (attributes comment, imageID, imageRef, name, image) and
     * {@code image tag} for every tag a build or commit adds.
     */
    public static BuildModule create(Path dataRoot, ImageService images, ContainerBackend containers,
                                     ImageBackend imageBackend, EventPublisher events) {
        return create(dataRoot, images, containers, imageBackend, events, dev.berth.daemon.config.RemapMappings.NONE);
    }

    /** As above, committing containers of a {@code --userns-remap} daemon with their container ids. */
    public static BuildModule create(Path dataRoot, ImageService images, ContainerBackend containers,
                                     ImageBackend imageBackend, EventPublisher events, dev.berth.daemon.config.RemapMappings remap) {
        Path root = dataRoot.resolve("builder");
        Path tmp = root.resolve("tmp");
        try {
            AtomicFiles.deleteTree(tmp);
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BuildCache cache = new BuildCache(root.resolve("cache.json"));
        cache.prune(id -> images.find(id).isPresent());
        BuildCacheUsage usage = new BuildCacheUsage(cache, images, containers, dataRoot);
        return new BuildModule(new BuildBackendImpl(
                auths -> new Builder(new DaemonBuildWorker(images, containers, imageBackend, cache, tmp, auths, events, remap)), tmp,
                cache, usage, new RemoteContextFetcher(tmp, ProcessLauncher.system(), "git", RemoteContextFetcher.Limits.defaults())),
                new CommitBackendImpl(containers, images, events, remap, tmp), usage);
    }
}
