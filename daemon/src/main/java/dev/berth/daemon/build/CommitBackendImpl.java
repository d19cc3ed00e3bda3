package dev.berth.daemon.build;

import dev.berth.api.backend.CommitBackend;
import dev.berth.api.backend.ContainerBackend;
import dev.berth.api.model.ChangeItem;
import dev.berth.api.model.ContainerConfig;
import dev.berth.api.model.ContainerInspect;
import dev.berth.common.BerthException;
import dev.berth.image.ChangeParser;
import dev.berth.image.ImageService;
import dev.berth.daemon.events.EventPublisher;
import dev.berth.oci.ref.Reference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code docker commit} and {@code docker diff} over the container backend (inspect, pause) and
 * the image service (layer → image, upper-dir changes). The new image's config is the
 * container's config, overridden by the request body's set fields, then the {@code --change}
 * instructions. Thread-safe.
 */
final class CommitBackendImpl implements CommitBackend {
    private final ContainerBackend containers;
    private final ImageService images;
    private final EventPublisher events;

    CommitBackendImpl(ContainerBackend containers, ImageService images, EventPublisher events) {
        this.events = events;
        this.containers = containers;
        this.images = images;
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
            var img = images.commit(c.id(), new ImageService.CommitSpec(c.image(), merged, author, comment, createdBy),
                    reference);
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

    @Override
    public List<ChangeItem> changes(String container) {
        ContainerInspect c = containers.inspect(container, false);
        return images.changes(c.id()).stream().map(ch -> new ChangeItem(ch.path(), ch.kind().code())).toList();
    }
}
