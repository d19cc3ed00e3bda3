package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of the {@code POST /containers/{id}/wait} reply. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerWaitResponse(@JsonProperty("StatusCode") long statusCode, @JsonProperty("Error") WaitError error) {
    public record WaitError(@JsonProperty("Message") String message) {}
}
