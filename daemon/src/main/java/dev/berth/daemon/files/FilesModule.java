package dev.berth.daemon.files;

import dev.berth.api.backend.ArchiveBackend;
import dev.berth.api.backend.ContainerBackend;
import dev.berth.daemon.config.RemapMappings;
import dev.berth.daemon.container.UsernsRootfs;
import dev.berth.daemon.events.EventPublisher;
import dev.berth.image.ImageService;
import dev.berth.sys.fs.FileOps;
import dev.berth.sys.mount.IdmapMounter;
import dev.berth.sys.mount.Mounter;
import java.nio.file.Path;

/**
 * Composition of the "files" feature ({@code docker cp}): the composition root calls
 * {@link #create} once the container engine exists and registers the router with
 * {@code r -> new dev.berth.server.ArchiveRouter(archiveBackend).register(r)}.
 */
public record FilesModule(ArchiveBackend archive) {
    /** An unremapped daemon's files feature. */
    public static FilesModule create(ContainerBackend containers, ImageService images, Mounter mounter, Path execRoot,
            EventPublisher events) {
        return create(containers, images, mounter, execRoot, events, RemapMappings.NONE, null);
    }

    /**
     * @param execRoot the daemon's runtime state dir; stopped containers are mounted under {@code <execRoot>/cp},
     *                 their idmapped image layers (remapped daemons) under {@code <execRoot>/cp-userns}
     * @param remap    the daemon's {@code --userns-remap} mappings ({@link RemapMappings#of})
     * @param idmap    makes idmapped mounts (the one the container engine uses); null: copies into stopped
     *                 remapped containers are refused
     */
    public static FilesModule create(ContainerBackend containers, ImageService images, Mounter mounter, Path execRoot,
            EventPublisher events, RemapMappings remap, IdmapMounter idmap) {
        UsernsRootfs views = new UsernsRootfs(idmap, mounter, execRoot.resolve("cp-userns"));
        return new FilesModule(new ArchiveService(containers, images, mounter, execRoot.resolve("cp"), FileOps.linux(), events,
                remap, views));
    }
}
