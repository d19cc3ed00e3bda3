package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** swagger {@code ImageInspect}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageInspect(
        @JsonProperty("Id") String id,
        @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("RepoDigests") List<String> repoDigests,
        @JsonProperty("Parent") String parent,
        @JsonProperty("Comment") String comment,
        @JsonProperty("Created") String created,
        @JsonProperty("DockerVersion") String dockerVersion,
        @JsonProperty("Author") String author,
        @JsonProperty("Config") ContainerConfig config,
        @JsonProperty("Architecture") String architecture,
        @JsonProperty("Variant") String variant,
        @JsonProperty("Os") String os,
        @JsonProperty("Size") long size,
        @JsonProperty("GraphDriver") ContainerInspect.GraphDriver graphDriver,
        @JsonProperty("RootFS") RootFs rootFs,
        @JsonProperty("Metadata") Map<String, String> metadata,
        @JsonProperty("Descriptor") Map<String, Object> descriptor) {

    public record RootFs(@JsonProperty("Type") String type, @JsonProperty("Layers") List<String> layers) {}
}
