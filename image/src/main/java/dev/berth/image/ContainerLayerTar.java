package dev.berth.image;

import dev.berth.oci.Mount;
import dev.berth.sys.fs.FileOps;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The layer tar {@code docker commit} makes of a container's writable layer, for callers that
 * must pass it through a filter before {@link ImageService#createImage} (the daemon maps its ids
 * for {@code --userns-remap}): the same members, in the same order, as
 * {@link ImageService#commit} stores, runtime mount points left out. Stateless and thread-safe;
 * the container must not change during the call (pause it).
 */
public final class ContainerLayerTar {
    private ContainerLayerTar() {}

    /** Writes the tar of {@code containerId}'s writable layer to {@code out} (not closed). */
    public static void write(ImageService images, String containerId, FileOps ops, OutputStream out) throws IOException {
        Path upper = images.containerLayerUpperDir(containerId);
        List<Path> lowers = new ArrayList<>();
        for (Mount m : images.containerLayerMounts(containerId)) {
            for (String o : m.options() == null ? List.<String>of() : m.options()) {
                if (o.startsWith("lowerdir=")) {
                    for (String d : o.substring("lowerdir=".length()).split(":")) {
                        lowers.add(Path.of(d));
                    }
                }
            }
        }
        ImageTree lower = new ImageTree(lowers, ops);
        new LayerTarWriter(ops).write(upper, out,
                (p, a) -> RuntimeMounts.skip(upper, p, a, lower) || RuntimeMounts.copiedUpForMounts(upper, p, a, lower));
    }
}
