package dev.berth.image;

import java.nio.file.Path;
import java.util.List;

/**
 * One image found in an extracted docker-archive or OCI layout, ready to load.
 *
 * @param config the exact config bytes (the image id is their digest)
 * @param layers layer files in the extracted archive, bottom first (any compression)
 * @param names references to tag the image with, as written in the archive (may be empty)
 */
record ArchiveImage(byte[] config, List<Path> layers, List<String> names) {}
