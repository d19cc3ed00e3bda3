package dev.berth.daemon.build;

import dev.berth.api.backend.CommitBackend;
import dev.berth.api.backend.ContainerBackend;
import dev.berth.api.model.ChangeItem;
import dev.berth.api.model.ContainerConfig;
import dev.berth.api.model.ContainerInspect;
import dev.berth.common.BerthException;
import dev.berth.daemon.config.RemapMappings;
import dev.berth.image.ChangeParser;
import dev.berth.image.ContainerLayerTar;
import dev.berth.image.ImageService;
import dev.berth.image.LocalImage;
import dev.berth.daemon.events.EventPublisher;
import dev.berth.oci.ref.Reference;
import dev.berth.oci.tar.IdMapping;
import dev.berth.oci.tar.TarIdMapper;
import dev.berth.sys.fs.FileOps;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code docker commit} and {@code docker diff} over the container backend (inspect, pause) and
 * the image service (layer → image, upper-dir changes). The new image's config is the
 * container's config, overridden by the request body's set fields, then the {@code --change}
 * instructions.
 *
 * <p>Under {@code --userns-remap} the writable layer holds host ids; the committed layer carries
 * the container's ids, as dockerd's layer diff does, so the image is the one an unremapped daemon
 * would commit (an id without a container id fails the commit with moby's "host ID n cannot be
 * mapped to a container ID"). That layer tar is written to {@code tmp} and then stored; an
 * unremapped container goes the image service's direct way. {@code docker diff} lists paths only,
 * so ids do not enter it. Thread-safe.
 */
final class CommitBackendImpl implements CommitBackend {
    private final ContainerBackend containers;
    private final ImageService images;
    private final EventPublisher events;
    private final RemapMappings remap;
    private final Path tmp;

    CommitBackendImpl(ContainerBackend containers, ImageService images, EventPublisher events) {
        this(containers, images, events, RemapMappings.NONE, null);
    }

    /**
     * @param remap the daemon's {@code --userns-remap} mappings
     * @param tmp   where a remapped container's layer tar is staged (the builder's scratch directory)
     */
    CommitBackendImpl(ContainerBackend containers, ImageService images, EventPublisher events, RemapMappings remap, Path tmp) {
        this.events = events;
        this.containers = containers;
        this.images = images;
        this.remap = remap;
        this.tmp = tmp;
    }

    @Override
    public String commit(String container, String repo, String tag, String comment, String author, boolean pause,
                         List<String> changes, ContainerConfig config) {
        ContainerInspect c = containers.inspect(container, false);
        String reference = null;
        if (repo != null && !repo.isEmpty()) {
            reference = tag == null || tag.isEmpty() ? repo : repo + ":" + tag;
        }
        var base = Configs.overlay(Configs.toImage(c.config()), Configs.toImage(config));
        var merged = ChangeParser.apply(base, changes);
        String createdBy = c.config() == null || c.config().cmd() == null ? "" : String.join(" ", c.config().cmd());
        boolean paused = false;
        if (pause && c.state() != null && c.state().running() && !c.state().paused()) {
            containers.pause(c.id());
            paused = true;
        }
        try {
            var spec = new ImageService.CommitSpec(c.image(), merged, author, comment, createdBy);
            IdMapping ids = remap.forContainer(c.hostConfig());
            var img = commit(images, c.id(), spec, reference, ids, tmp);
            Map<String, String> attrs = new LinkedHashMap<>();
            attrs.put("comment", comment == null ? "" : comment);
            attrs.put("imageID", img.id());
            attrs.put("imageRef", reference == null ? "" : Reference.parse(reference).withDefaultTag().familiarString());
            attrs.put("image", c.config() == null || c.config().image() == null ? "" : c.config().image());
            attrs.put("name", c.name() == null ? "" : c.name().replaceFirst("^/", ""));
            events.publish("container", "commit", c.id(), attrs);
            if (reference != null) {
                events.publish("image", "tag", img.id(), Map.of("name", attrs.get("imageRef")));
            }
            return img.id();
        } finally {
            if (paused) {
                try {
                    containers.unpause(c.id());
                } catch (BerthException e) {
                    System.getLogger("berth.commit").log(System.Logger.Level.WARNING,
                            "unpausing " + c.id() + " after commit failed: " + e.getMessage());
                }
            }
        }
    }

    /**
     * Commits container {@code id}'s writable layer as {@link ImageService#commit} does, with its
     * owners mapped host → container by {@code ids} ({@link IdMapping#IDENTITY}: the image service's
     * direct way). Also for the builder's RUN steps, whose containers are remapped alike.
     *
     * @param tmp where the mapped layer tar is staged (null: the system's temporary directory)
     */
    static LocalImage commit(ImageService images, String id, ImageService.CommitSpec spec, String reference, IdMapping ids,
            Path tmp) {
        if (ids.isIdentity()) {
            return images.commit(id, spec, reference);
        }
        Path tar = null;
        try {
            tar = tmp != null ? Files.createTempFile(tmp, "commit-", ".tar") : Files.createTempFile("berth-commit-", ".tar");
            try (OutputStream out = TarIdMapper.toContainer(Files.newOutputStream(tar), ids, TarIdMapper.Unmapped.FAIL)) {
                ContainerLayerTar.write(images, id, FileOps.linux(), out);
            }
            try (InputStream in = Files.newInputStream(tar)) {
                return images.createImage(spec, in, reference);
            }
        } catch (IOException e) {
            throw BerthException.internal("commit of container " + id + " failed: " + e.getMessage(), e);
        } finally {
            if (tar != null) {
                try {
                    Files.deleteIfExists(tar);
                } catch (IOException ignored) {
                    // the builder's scratch directory is emptied at start
                }
            }
        }
    }

    @Override
    public List<ChangeItem> changes(String container) {
        ContainerInspect c = containers.inspect(container, false);
        return images.changes(c.id()).stream().map(ch -> new ChangeItem(ch.path(), ch.kind().code())).toList();
    }
}
