package dev.berth.image;

import dev.berth.oci.Mount;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The local image store: images by id, their references (tags and digests), their layers as
 * overlay snapshots, and the writable snapshots of containers. One instance per data root; it owns
 * {@code <data-root>/image} and {@code <data-root>/snapshots}. Thread-safe. Failures are
 * {@link dev.berth.common.BerthException}s (NOT_FOUND "No such image: x", CONFLICT, INVALID_ARGUMENT).
 */
public interface ImageService {
    /** Resolves a reference, full id, {@code sha256:}-id or unique id prefix. */
    Optional<LocalImage> find(String nameOrId);

    /** Like {@link #find} but NOT_FOUND ("No such image: nameOrId") when absent. */
    LocalImage get(String nameOrId);

    List<LocalImage> list();

    /** Adds {@code reference} (normalized, e.g. {@code docker.io/library/busybox:latest}) to the image. */
    void tag(String nameOrId, String reference);

    /**
     * Removes a reference or the image. {@code inUse} tells whether a container uses an image id;
     * such images are not deleted (CONFLICT) unless only untagging or {@code force} untags.
     * Returns Docker's delete items ("Untagged: …", "Deleted: …").
     */
    List<DeleteItem> remove(String nameOrId, boolean force, boolean noPrune, Predicate<String> inUse);

    /**
     * Imports a root filesystem tar (plain, gzip, bzip2, xz or zstd) as a one-layer image.
     * {@code changes} are Dockerfile instructions (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER,
     * VOLUME, WORKDIR, STOPSIGNAL, ONBUILD, HEALTHCHECK, SHELL). Returns the new image.
     */
    LocalImage importRootfs(InputStream tar, String reference, List<String> changes, String message, String platform);

    /** Loads a docker-archive or OCI-layout tar; returns the loaded references (or ids of untagged images). */
    List<String> load(InputStream archive, Consumer<String> progress);

    /** Writes the named images as a tar that is both a docker-archive and an OCI layout. */
    void save(List<String> namesOrIds, OutputStream out);

    /** History entries, newest first. */
    List<HistoryEntry> history(String nameOrId);

    // ---- container root filesystems ----

    /** Creates the writable layer of container {@code containerId} on top of the image; returns its mounts (not mounted). */
    List<Mount> prepareContainerLayer(String containerId, String imageId);

    /** The mounts of an existing container layer (after a daemon restart). */
    List<Mount> containerLayerMounts(String containerId);

    /** Deletes the container layer; absent is not an error. */
    void removeContainerLayer(String containerId);

    /** The upper (writable) directory of the container layer, for diff and size. */
    java.nio.file.Path containerLayerUpperDir(String containerId);

    /** Bytes used by the container's writable layer. */
    long containerLayerSize(String containerId);

    /**
     * Like {@link #remove} but knowing which containers use an image id ({@code users} returns
     * them, empty when none), so conflicts name the container and tell running ("cannot be forced")
     * from stopped ("must be forced") as Docker does. Prefer this one.
     */
    default List<DeleteItem> removeImage(String nameOrId, boolean force, boolean noPrune,
            java.util.function.Function<String, List<ContainerUse>> users) {
        return remove(nameOrId, force, noPrune, id -> !users.apply(id).isEmpty());
    }

    // ---- commit, diff and builder support (additive; LocalImageService implements them) ----

    /** {@code docker diff} kinds, with the API's numbers (0 modified, 1 added, 2 deleted). */
    enum ChangeKind {
        MODIFIED, ADDED, DELETED;

        /** The API's {@code Kind} number. */
        public int code() {
            return ordinal();
        }
    }

    /** One {@code docker diff} entry; {@code path} is absolute. */
    record Change(String path, ChangeKind kind) {}

    /**
     * What a new image records besides its layer.
     *
     * @param parentImageId the image it builds on ({@code sha256:…} or any name), or null for none (scratch)
     * @param config the complete runtime config of the new image
     * @param author the {@code author} field, or null
     * @param comment the config's and history entry's comment, or null
     * @param createdBy the history entry's {@code created_by}, or null
     */
    record CommitSpec(String parentImageId, dev.berth.oci.image.ContainerConfig config, String author, String comment,
                      String createdBy) {}

    /**
     * Makes an image from a parent plus one layer: {@code layerTar} is an uncompressed layer tar
     * (OCI whiteouts allowed), or null for a config-only image (history {@code empty_layer}).
     * The new image's local parent is the parent image; it is tagged with {@code reference} when
     * that is not null. Thread-safe.
     */
    default LocalImage createImage(CommitSpec spec, java.io.InputStream layerTar, String reference) {
        throw new dev.berth.common.BerthException(dev.berth.common.ErrorKind.NOT_IMPLEMENTED, "image creation is not supported");
    }

    /**
     * {@code docker commit}: the container's writable layer as a new layer on {@code spec.parentImageId()}
     * (the container's image). Overlay whiteouts become OCI whiteouts. The container must not
     * change during the call (pause it). Tags with {@code reference} when not null.
     */
    default LocalImage commit(String containerId, CommitSpec spec, String reference) {
        throw new dev.berth.common.BerthException(dev.berth.common.ErrorKind.NOT_IMPLEMENTED, "docker commit is not supported");
    }

    /** {@code docker diff} of a container's writable layer, sorted by path. */
    default List<Change> changes(String containerId) {
        throw new dev.berth.common.BerthException(dev.berth.common.ErrorKind.NOT_IMPLEMENTED, "docker diff is not supported");
    }

    /** A read-only merged view of an image's file system (null or "" id: an empty tree, for scratch). */
    default ImageTree imageTree(String imageId) {
        throw new dev.berth.common.BerthException(dev.berth.common.ErrorKind.NOT_IMPLEMENTED, "image file access is not supported");
    }

    /** The image's full config (as stored), e.g. for a commit's parent config. */
    default dev.berth.oci.image.ImageConfig imageConfig(String nameOrId) {
        throw new dev.berth.common.BerthException(dev.berth.common.ErrorKind.NOT_IMPLEMENTED, "image config access is not supported");
    }

    /** A container using an image: its id and whether it is running. */
    record ContainerUse(String containerId, boolean running) {}

    /** Result entry of {@link #remove}: exactly one of untagged/deleted is set. */
    record DeleteItem(String untagged, String deleted) {}

    /** One history entry; {@code layerId} is null for empty layers (Docker shows "<missing>" for non-top entries). */
    record HistoryEntry(String layerId, long created, String createdBy, List<String> tags, long size, String comment, boolean emptyLayer) {}
}
