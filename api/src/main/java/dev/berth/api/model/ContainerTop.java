package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Body of the {@code GET /containers/{id}/top} reply. */
public record ContainerTop(@JsonProperty("Titles") List<String> titles, @JsonProperty("Processes") List<List<String>> processes) {}
