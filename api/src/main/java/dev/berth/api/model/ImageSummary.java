package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** swagger {@code ImageSummary}: one row of {@code GET /images/json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageSummary(
        @JsonProperty("Id") String id,
        @JsonProperty("ParentId") String parentId,
        @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("RepoDigests") List<String> repoDigests,
        @JsonProperty("Created") long created,
        @JsonProperty("Size") long size,
        @JsonProperty("SharedSize") long sharedSize,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("Containers") long containers,
        @JsonProperty("Descriptor") Map<String, Object> descriptor) {}
