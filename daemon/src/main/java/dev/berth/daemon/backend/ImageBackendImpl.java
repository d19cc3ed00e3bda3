package dev.berth.daemon.backend;

import dev.berth.api.backend.ImageBackend;
import dev.berth.api.backend.MessageSink;
import dev.berth.api.model.HistoryItem;
import dev.berth.api.model.ImageDeleteItem;
import dev.berth.api.model.ImageInspect;
import dev.berth.api.model.ImageSummary;
import dev.berth.api.model.JsonMessage;
import dev.berth.api.model.PruneReport;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Filters;
import dev.berth.daemon.events.EventPublisher;
import dev.berth.image.ImageService;
import dev.berth.image.LocalImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link ImageBackend} over the local {@link ImageService}: Docker's filters, shapes, reference
 * validation and events. Registry operations (pull, push) need the distribution module, which
 * this daemon does not have yet: they fail in-band with a clear message instead of pretending.
 * Thread-safe (stateless apart from its collaborators).
 */
public final class ImageBackendImpl implements ImageBackend {
    private final ImageService images;
    private final ContainerUsage usage;
    private final EventPublisher events;
    private final Path dataRoot;
    private volatile Runnable onImagesAdded = () -> { };

    private final dev.berth.daemon.distribution.RegistryImageTransfer registry;

    public ImageBackendImpl(ImageService images, ContainerUsage usage, EventPublisher events, Path dataRoot,
            dev.berth.daemon.distribution.RegistryImageTransfer registry) {
        this.registry = registry;
        this.images = images;
        this.usage = usage;
        this.events = events;
        this.dataRoot = dataRoot;
    }

    /** Called after import and load add images (e.g. the storage budget checks soon). */
    public void setOnImagesAdded(Runnable r) {
        this.onImagesAdded = r == null ? () -> { } : r;
    }

    @Override
    public List<ImageSummary> list(boolean all, Filters filters, boolean withManifests) {
        Filters f = (filters == null ? Filters.NONE : filters).validate(ImageFilters.LIST_KEYS);
        List<LocalImage> imgs = images.list();
        Set<String> parents = new HashSet<>();
        imgs.forEach(i -> {
            if (i.parent() != null && !i.parent().isEmpty()) {
                parents.add(i.parent());
            }
        });
        Map<String, Integer> containersByImage = new HashMap<>();
        usage.containers().forEach(c -> containersByImage.merge(c.imageId() == null ? "" : c.imageId(), 1, Integer::sum));
        Instant now = Instant.now();
        List<ImageSummary> out = new ArrayList<>();
        for (LocalImage img : imgs) {
            boolean untagged = img.repoTags() == null || img.repoTags().isEmpty();
            // Without -a, intermediate images (untagged parents of other images) are hidden, as in dockerd.
            if (!all && untagged && parents.contains(img.id())) {
                continue;
            }
            Optional<List<String>> tags = ImageFilters.apply(img, f, images::get, now);
            if (tags.isEmpty()) {
                continue;
            }
            out.add(ImageMapper.summary(img, tags.get(), containersByImage.getOrDefault(img.id(), 0)));
        }
        out.sort((a, b) -> Long.compare(b.created(), a.created()));
        return out;
    }

    @Override
    public ImageInspect inspect(String name) {
        return ImageMapper.inspect(images.get(name));
    }

    @Override
    public List<HistoryItem> history(String name) {
        LocalImage img = images.get(name);
        List<ImageService.HistoryEntry> entries = images.history(name);
        List<HistoryItem> out = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            ImageService.HistoryEntry e = entries.get(i);
            // Entries that are the top of a local image (build steps) carry its id, as in Docker.
            String id = i == 0 ? img.id() : (e.layerId() != null ? e.layerId() : "<missing>");
            List<String> tags = i == 0 ? (img.repoTags() == null ? List.of() : img.repoTags()) : (e.tags() == null ? List.of() : e.tags());
            out.add(new HistoryItem(id, e.created(), e.createdBy() == null ? "" : e.createdBy(),
                    tags.isEmpty() ? null : tags, e.size(), e.comment() == null ? "" : e.comment()));
        }
        return out;
    }

    @Override
    public void tag(String source, String repo, String tag) {
        LocalImage img = images.get(source);
        ImageReference ref = ImageReference.parse(repo);
        if (ref.digest() != null) {
            throw BerthException.invalid("refusing to create a tag with a digest reference");
        }
        if (tag != null && !tag.isEmpty()) {
            if (ref.tag() != null) {
                throw BerthException.invalid("invalid reference format");
            }
            ImageReference.validateTag(tag);
            ref = new ImageReference(ref.domain(), ref.path(), tag, null);
        }
        ref = ref.withDefaultTag();
        images.tag(img.id(), ref.toString());
        events.publish("image", "tag", img.id(), Map.of("name", ref.familiar()));
    }

    @Override
    public List<ImageDeleteItem> remove(String name, boolean force, boolean noPrune) {
        LocalImage img = images.get(name);
        List<ImageService.DeleteItem> items = images.removeImage(name, force, noPrune, this::users);
        return publishDeletes(img.id(), items);
    }

    /** Containers (any state) created from image {@code id}, for Docker's conflict messages. */
    private List<ImageService.ContainerUse> users(String id) {
        List<ImageService.ContainerUse> out = new ArrayList<>();
        for (var c : usage.containers()) {
            if (id.equals(c.imageId())) {
                out.add(new ImageService.ContainerUse(c.id(), "running".equals(c.state()) || "paused".equals(c.state()) || "restarting".equals(c.state())));
            }
        }
        return out;
    }

    private List<ImageDeleteItem> publishDeletes(String imageId, List<ImageService.DeleteItem> items) {
        List<ImageDeleteItem> out = new ArrayList<>(items.size());
        for (ImageService.DeleteItem d : items) {
            out.add(new ImageDeleteItem(d.untagged(), d.deleted()));
            if (d.untagged() != null) {
                events.publish("image", "untag", imageId, Map.of("name", d.untagged()));
            }
            if (d.deleted() != null) {
                events.publish("image", "delete", d.deleted(), Map.of("name", d.deleted()));
            }
        }
        return out;
    }

    @Override
    public PruneReport prune(Filters filters) {
        Filters f = (filters == null ? Filters.NONE : filters).validate(ImageFilters.PRUNE_KEYS);
        boolean danglingOnly = !f.has("dangling") || ImageFilters.parseBool(f.get("dangling"));
        Map<String, Set<String>> rest = new HashMap<>(f.values());
        rest.remove("dangling");
        Filters others = new Filters(rest);
        Set<String> used = new HashSet<>();
        usage.containers().forEach(c -> used.add(c.imageId()));
        long before = DiskUsage.imageBytes(dataRoot);
        Instant now = Instant.now();
        List<Object> deleted = new ArrayList<>();
        for (LocalImage img : images.list()) {
            boolean untagged = img.repoTags() == null || img.repoTags().isEmpty();
            if ((danglingOnly && !untagged) || used.contains(img.id())) {
                continue;
            }
            if (ImageFilters.apply(img, others, images::get, now).isEmpty()) {
                continue;
            }
            try {
                deleted.addAll(publishDeletes(img.id(), images.remove(img.id(), !danglingOnly, false, id -> used.contains(id))));
            } catch (BerthException e) {
                if (e.kind() != ErrorKind.CONFLICT && e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
                // Images that became used or vanished meanwhile are skipped, as dockerd does.
            }
        }
        long reclaimed = deleted.isEmpty() ? 0 : Math.max(0, before - DiskUsage.imageBytes(dataRoot));
        events.publish("image", "prune", "", Map.of("reclaimed", Long.toString(reclaimed)));
        return new PruneReport(deleted, reclaimed);
    }

    @Override
    public void importImage(InputStream tar, String repo, String tag, List<String> changes, String message, String platform, MessageSink progress) {
        String reference = null;
        if (repo != null && !repo.isEmpty()) {
            ImageReference ref = ImageReference.parse(repo);
            if (tag != null && !tag.isEmpty()) {
                ImageReference.validateTag(tag);
                ref = new ImageReference(ref.domain(), ref.path(), tag, null);
            }
            reference = ref.withDefaultTag().toString();
        }
        String ref = reference;
        inBand(progress, () -> {
            LocalImage img = images.importRootfs(tar, ref, changes == null ? List.of() : changes, message, platform);
            events.publish("image", "import", img.id(), Map.of("name", img.id()));
            onImagesAdded.run();
            progress.send(JsonMessage.status(null, img.id()));
        });
    }

    @Override
    public void pull(String fromImage, String tag, String platform, String registryAuth, MessageSink progress) {
        // Not inBand(): failures before the first message must become HTTP errors, as with dockerd.
        registry.pull(fromImage, tag, platform, registryAuth, progress);
        onImagesAdded.run();
    }

    @Override
    public void push(String name, String tag, String registryAuth, MessageSink progress) {
        registry.push(name, tag, registryAuth, progress);
    }

    @Override
    public void load(InputStream archive, boolean quiet, MessageSink progress) {
        inBand(progress, () -> {
            // The image service reports complete lines ("Loaded image: …", "Loaded image ID: …",
            // "The image … already exists, renaming …") both as progress and as its result; the result is what we relay.
            List<String> loaded = images.load(archive, msg -> { });
            for (String r : loaded) {
                String line;
                String name = null;
                if (r.startsWith("Loaded image: ")) {
                    line = r;
                    name = r.substring("Loaded image: ".length());
                } else if (r.startsWith("Loaded image ID: ")) {
                    line = r;
                    name = r.substring("Loaded image ID: ".length());
                } else if (r.startsWith("The image ")) {
                    line = r;
                } else if (r.startsWith("sha256:")) {
                    line = "Loaded image ID: " + r;
                    name = r;
                } else {
                    name = familiar(r);
                    line = "Loaded image: " + name;
                }
                progress.send(JsonMessage.stream(line + "\n"));
                if (name != null) {
                    String id = images.find(name).map(LocalImage::id).orElse(name);
                    events.publish("image", "load", id, Map.of("name", name));
                }
            }
            onImagesAdded.run();
        });
    }

    @Override
    public void save(List<String> names, OutputStream out) {
        List<String> ids = new ArrayList<>();
        for (String n : names) {
            ids.add(images.get(n).id());
        }
        images.save(names, out);
        for (int i = 0; i < names.size(); i++) {
            events.publish("image", "save", ids.get(i), Map.of("name", names.get(i)));
        }
    }

    private static String familiar(String r) {
        try {
            return ImageReference.parse(r).familiar();
        } catch (BerthException e) {
            return r;
        }
    }

    @FunctionalInterface
    private interface StreamAction {
        void run() throws IOException;
    }

    /** Runs a streaming operation; failures after the 200 header are reported in-band as dockerd does. */
    private static void inBand(MessageSink sink, StreamAction action) {
        try {
            action.run();
        } catch (BerthException e) {
            sendError(sink, e.getMessage());
        } catch (UncheckedIOException e) {
            if (!sink.isClosed()) {
                sendError(sink, e.getCause().getMessage());
            }
        } catch (IOException e) {
            // the client went away; nothing to report to
        } catch (RuntimeException e) {
            sendError(sink, e.toString());
        }
    }

    private static void sendError(MessageSink sink, String message) {
        try {
            sink.send(JsonMessage.error(message));
        } catch (IOException ignored) {
            // client gone
        }
    }
}
