package dev.berth.daemon.backend;

import dev.berth.api.backend.ContainerBackend;
import dev.berth.api.model.ContainerSummary;
import dev.berth.api.model.MountPoint;
import dev.berth.common.Filters;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the image, volume, network and system backends need to know about containers: which ones
 * use an image or a volume, their names, and counts by state. The default implementation derives
 * everything from {@link ContainerBackend#list} (all containers), so it works with any container
 * manager; a manager may implement this interface directly to avoid building summaries.
 * Thread-safe if the underlying backend is.
 */
public interface ContainerUsage {
    /** Every container, in any state. */
    List<ContainerSummary> containers();

    /** Ids of containers (any state) created from image {@code imageId} ({@code sha256:…}). */
    default List<String> containersUsingImage(String imageId) {
        List<String> out = new ArrayList<>();
        for (ContainerSummary c : containers()) {
            if (imageId.equals(c.imageId())) {
                out.add(c.id());
            }
        }
        return out;
    }

    /** Ids of containers (any state) that mount volume {@code name}. */
    default List<String> containersUsingVolume(String name) {
        List<String> out = new ArrayList<>();
        for (ContainerSummary c : containers()) {
            if (c.mounts() == null) {
                continue;
            }
            for (MountPoint m : c.mounts()) {
                if ("volume".equals(m.type()) && name.equals(m.name())) {
                    out.add(c.id());
                    break;
                }
            }
        }
        return out;
    }

    /** The container's name without the leading slash, or "" if unknown. */
    default String nameOf(String containerId) {
        for (ContainerSummary c : containers()) {
            if (c.id().equals(containerId) && c.names() != null && !c.names().isEmpty()) {
                String n = c.names().getFirst();
                return n.startsWith("/") ? n.substring(1) : n;
            }
        }
        return "";
    }

    /** Counts by state for {@code GET /info}. */
    default Counts counts() {
        int running = 0;
        int paused = 0;
        int stopped = 0;
        List<ContainerSummary> all = containers();
        for (ContainerSummary c : all) {
            switch (c.state() == null ? "" : c.state()) {
                case "running", "restarting" -> running++;
                case "paused" -> paused++;
                default -> stopped++;
            }
        }
        return new Counts(all.size(), running, paused, stopped);
    }

    record Counts(int total, int running, int paused, int stopped) {}

    /** Every container with SizeRw/SizeRootFs filled in (for {@code GET /system/df}); may be slow. */
    default List<ContainerSummary> containersWithSize() {
        return containers();
    }

    /** Derives usage from the containers backend's list of all containers. */
    static ContainerUsage of(ContainerBackend backend) {
        return new ContainerUsage() {
            @Override
            public List<ContainerSummary> containers() {
                return backend.list(true, -1, false, Filters.NONE);
            }

            @Override
            public List<ContainerSummary> containersWithSize() {
                return backend.list(true, -1, true, Filters.NONE);
            }
        };
    }

    /** For a daemon without a container manager yet (and for tests): no containers. */
    static ContainerUsage from(Supplier<List<ContainerSummary>> supplier) {
        return supplier::get;
    }
}
