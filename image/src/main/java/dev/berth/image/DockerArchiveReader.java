package dev.berth.image;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import dev.berth.oci.image.ArchiveManifestEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.type.TypeReference;

/**
 * Reads a docker-archive ({@code docker save} output: {@code manifest.json} naming a config and
 * layer tars per image) from an extracted directory. Paths in the manifest are resolved inside the
 * directory only. Stateless.
 */
final class DockerArchiveReader {
    private DockerArchiveReader() {}

    static boolean matches(Path dir) {
        return Files.isRegularFile(dir.resolve("manifest.json"));
    }

    static List<ArchiveImage> read(Path dir) throws IOException {
        List<ArchiveManifestEntry> entries;
        try {
            entries = Json.mapper().readValue(Files.readAllBytes(dir.resolve("manifest.json")),
                    new TypeReference<List<ArchiveManifestEntry>>() {});
        } catch (RuntimeException e) {
            throw BerthException.invalid("invalid manifest.json in archive: %s", e.getMessage());
        }
        List<ArchiveImage> out = new ArrayList<>();
        for (ArchiveManifestEntry e : entries) {
            if (e.config() == null) {
                throw BerthException.invalid("invalid manifest.json in archive: entry without Config");
            }
            byte[] config = Files.readAllBytes(inside(dir, e.config()));
            List<Path> layers = new ArrayList<>();
            for (String l : e.layers() == null ? List.<String>of() : e.layers()) {
                layers.add(inside(dir, l));
            }
            out.add(new ArchiveImage(config, layers, e.repoTags() == null ? List.of() : e.repoTags()));
        }
        return out;
    }

    /** Resolves an archive path, following symlinks only if they stay inside {@code dir}. */
    static Path inside(Path dir, String rel) throws IOException {
        Path root = dir.toRealPath();
        Path p;
        try {
            p = SafePaths.join(root, SafePaths.clean(rel)).toRealPath();
        } catch (java.nio.file.NoSuchFileException e) {
            throw BerthException.invalid("archive is missing %s", rel);
        }
        if (!p.startsWith(root) || !Files.isRegularFile(p)) {
            throw BerthException.invalid("invalid path in archive: %s", rel);
        }
        return p;
    }
}
