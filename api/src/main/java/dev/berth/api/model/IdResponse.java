package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code {"Id", "Warnings"}} as returned by create endpoints. */
public record IdResponse(@JsonProperty("Id") String id, @JsonProperty("Warnings") List<String> warnings) {}
