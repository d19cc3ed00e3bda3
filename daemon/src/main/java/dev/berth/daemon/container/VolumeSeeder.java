package dev.berth.daemon.container;

import dev.berth.oci.Mount;
import dev.berth.volume.VolumeService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Docker's volume copy-up: an empty volume mounted where the image has content gets that content
 * (unless nocopy). Reads the image content through {@link LayerView}; when several layers
 * contribute, they are merged into a scratch directory first. Thread-safe.
 */
final class VolumeSeeder {
    private final VolumeService volumes;
    private final Path scratchRoot;

    VolumeSeeder(VolumeService volumes, Path scratchRoot) {
        this.volumes = volumes;
        this.scratchRoot = scratchRoot;
    }

    void seed(String volume, List<Mount> rootfsMounts, String destination) {
        LayerView view = LayerView.of(rootfsMounts);
        List<Path> dirs = view.dirLayers(destination);
        if (dirs.isEmpty()) {
            return;
        }
        if (dirs.size() == 1) {
            volumes.seed(volume, dirs.getFirst());
            return;
        }
        Path tmp = null;
        try {
            Files.createDirectories(scratchRoot);
            tmp = Files.createTempDirectory(scratchRoot, "seed-");
            view.copyTree(destination, tmp);
            volumes.seed(volume, tmp);
        } catch (IOException e) {
            throw dev.berth.common.BerthException.internal("cannot copy image content into volume " + volume + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                Path t = tmp;
                Engine.quietly("delete seed scratch", () -> ContainerStore.deleteTree(t));
            }
        }
    }
}
