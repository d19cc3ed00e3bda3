package dev.berth.oci.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One entry of a docker-archive's {@code manifest.json}; paths are relative to the archive root. */
public record ArchiveManifestEntry(
        @JsonProperty("Config") String config,
        @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("Layers") List<String> layers) {}
