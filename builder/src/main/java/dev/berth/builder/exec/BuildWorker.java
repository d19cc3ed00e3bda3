package dev.berth.builder.exec;

import dev.berth.builder.context.ContextEntry;
import dev.berth.oci.image.ContainerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The port through which the classic builder changes the world; the daemon implements it with
 * its image service, snapshotter and runtime. The builder never touches images, containers or
 * files itself. Image ids are {@code sha256:<64 hex>}; "parent" null means {@code FROM scratch}.
 *
 * <p>Lifecycle: one {@code BuildWorker} may serve many builds. A build calls it from one thread
 * per stage, and independent stages run at the same time, so calls come concurrently (within a
 * build and across builds): implementations must be thread-safe.
 * Every method that creates an image records {@code cacheKey → image id} so that
 * {@link #findCached} finds it in later builds.
 */
public interface BuildWorker {

    /** A resolved base image. {@code author} may be null. */
    record BaseImage(String id, ContainerConfig config, String author) {}

    /**
     * Resolves {@code reference} (name, name:tag, name@digest or image id) to a local image,
     * pulling it when absent or when {@code pull} is true; pull progress may be written to
     * {@code out}. {@code platform} ({@code os/arch[/variant]}) may be null.
     *
     * @throws dev.berth.common.BerthException NOT_FOUND when it cannot be found or pulled
     */
    BaseImage resolveImage(String reference, String platform, boolean pull, BuildOutput out);

    /** The image a previous build made for this cache key, if it still exists. */
    Optional<String> findCached(String cacheKey);

    /**
     * {@code --cache-from}: an image among {@code sources} (local references; missing ones are
     * skipped) or their ancestors whose parent is {@code parentImageId} (null: none) and whose
     * last history entry was made by exactly {@code createdBy} — the classic builder's match by
     * parent chain and instruction history. The default finds nothing.
     */
    default Optional<String> findInCacheSources(List<String> sources, String parentImageId, String createdBy) {
        return Optional.empty();
    }

    /**
     * What to run for RUN.
     *
     * @param parentImageId the image the container's root file system starts from (null: empty)
     * @param argv the command to execute, already including the shell for the shell form
     * @param env the full environment ({@code K=V}), image ENV plus visible build args
     * @param user the user ({@code user[:group]}, names or ids), or null/empty for root
     * @param workingDir the working directory, or null/empty for {@code /}
     * @param networkMode {@code default}, {@code none}, {@code host}, a network name, or null
     * @param resources container resource limits
     * @param mounts {@code RUN --mount}s (empty unless the build enables them)
     */
    record RunRequest(String parentImageId, List<String> argv, List<String> env, String user, String workingDir,
                      String networkMode, BuildResources resources, List<RunMount> mounts) {
        public RunRequest {
            argv = List.copyOf(argv);
            env = List.copyOf(env);
            mounts = mounts == null ? List.of() : List.copyOf(mounts);
        }

        /** Without {@code --mount}s. */
        public RunRequest(String parentImageId, List<String> argv, List<String> env, String user, String workingDir,
                          String networkMode, BuildResources resources) {
            this(parentImageId, argv, env, user, workingDir, networkMode, resources, List.of());
        }
    }

    /** A {@code RUN --mount} (only when the build enables them, see {@link RunMounts}). */
    sealed interface RunMount {
        /** A directory the worker keeps between builds under {@code id}, mounted at {@code target}. */
        record Cache(String id, String target, boolean readOnly) implements RunMount {}

        /** A read-only file with the secret's bytes at {@code target}, for this RUN only. */
        record Secret(String id, String target, byte[] value) implements RunMount {}
    }

    /** The end of a RUN container. */
    record RunResult(String containerId, int exitCode) {}

    /**
     * Creates a container for {@code request}, reports its id to {@code onCreated} before it
     * starts, runs it to completion, and writes its stdout and stderr to {@code out}. The
     * container is kept (stopped) so that it can be committed or inspected.
     */
    RunResult run(RunRequest request, Consumer<String> onCreated, BuildOutput out);

    /**
     * What a new image records.
     *
     * @param parentImageId the image it builds on (null: none)
     * @param config the complete config of the new image
     * @param createdBy the history entry's {@code created_by}
     * @param author the image author (MAINTAINER), or null
     * @param cacheKey the key to record for {@link #findCached}
     */
    record CommitRequest(String parentImageId, ContainerConfig config, String createdBy, String author,
                         String cacheKey) {}

    /** Makes an image from a finished RUN container's file system changes on top of its parent. */
    String commitContainer(String containerId, CommitRequest commit);

    /** Removes a build container (after commit, or after a failure with force-rm). */
    void removeContainer(String containerId);

    /** The result of a config-only commit. {@code containerId} is the intermediate container, or null. */
    record ConfigCommit(String imageId, String containerId) {}

    /**
     * Makes an image that changes only the config (ENV, LABEL, CMD, …) and records an empty
     * history layer. When {@code createDirectory} is not null (WORKDIR), that absolute directory
     * is created (mode 0755, owned by root, as the classic builder does) in the image's file
     * system if it does not exist; the new image then carries that layer. Implementations may
     * create a short-lived container for this and return its id (the builder prints "Running in"
     * and removes it), or do it directly and return a null container id.
     */
    ConfigCommit commitConfig(CommitRequest commit, String createDirectory);

    /** One source of a COPY/ADD. */
    sealed interface CopySource {
        /**
         * Files from the build context. Each root is copied as Docker does: a directory's
         * contents (not the directory itself), or a file; {@code files} lists every entry to
         * write (roots and everything below them), see {@link CopyLayout}.
         */
        record Context(String source, List<ContextEntry> roots, List<ContextEntry> files,
                       dev.berth.builder.context.BuildContext context) implements CopySource {}

        /** A path (may contain wildcards) in another image or stage's result. */
        record FromImage(String imageId, String path) implements CopySource {}

        /** A here-document: a file with this content (mode 0644). */
        record Inline(String name, byte[] content) implements CopySource {}

        /** A downloaded file (ADD URL): written with mode 0600 and the given mtime. */
        record Downloaded(String name, Path file, long mtimeMillis) implements CopySource {}
    }

    /**
     * A COPY or ADD.
     *
     * @param destination absolute destination; a trailing {@code /} means "into this directory"
     * @param destinationIsDirectory true when the destination must be a directory (trailing slash
     *     or several sources); the worker also treats an existing directory as one
     * @param chown {@code --chown} value (user[:group], names resolved in the parent image), or null
     * @param preserveOwnership keep source uid/gid (COPY --from without --chown); otherwise 0:0
     * @param allowDecompression ADD: extract tar archives (also gzip/bzip2/xz compressed, detected by
     *     content) from {@link CopySource.Context} sources at the destination; downloaded and
     *     inline sources are never extracted
     */
    record CopyRequest(CommitRequest commit, List<CopySource> sources, String destination,
                       boolean destinationIsDirectory, String chown, boolean preserveOwnership,
                       boolean allowDecompression) {
        public CopyRequest {
            sources = List.copyOf(sources);
        }
    }

    /** Writes the sources into a new layer on the parent and commits it; returns the image id. */
    String copy(CopyRequest request);

    /** A file fetched for ADD {@code <url>}: name from the URL path, mtime from Last-Modified (or 0). */
    record Download(Path file, String name, long mtimeMillis) {}

    /** Downloads a URL for ADD into a temporary file the worker owns until the build ends. */
    Download download(String url, BuildOutput out);

    /**
     * Tags an image; returns the name as Docker prints it in "Successfully tagged …"
     * (e.g. {@code app:latest}).
     */
    String tag(String imageId, String reference);
}
