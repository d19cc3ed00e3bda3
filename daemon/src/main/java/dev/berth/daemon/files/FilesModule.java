package dev.berth.daemon.files;

import dev.berth.api.backend.ArchiveBackend;
import dev.berth.api.backend.ContainerBackend;
import dev.berth.daemon.events.EventPublisher;
import dev.berth.image.ImageService;
import dev.berth.sys.fs.FileOps;
import dev.berth.sys.mount.Mounter;
import java.nio.file.Path;

/**
 * Composition of the "files" feature ({@code docker cp}): the composition root calls
 * {@link #create} once the container engine exists and registers the router with
 * {@code r -> new dev.berth.server.ArchiveRouter(archiveBackend).register(r)}.
 */
public record FilesModule(ArchiveBackend archive) {
    /** @param execRoot the daemon's runtime state dir; stopped containers are mounted under {@code <execRoot>/cp} */
    public static FilesModule create(ContainerBackend containers, ImageService images, Mounter mounter, Path execRoot,
            EventPublisher events) {
        return new FilesModule(new ArchiveService(containers, images, mounter, execRoot.resolve("cp"), FileOps.linux(), events));
    }
}
