package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of the {@code DELETE /images/{name}} reply: exactly one of the fields is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageDeleteItem(@JsonProperty("Untagged") String untagged, @JsonProperty("Deleted") String deleted) {}
