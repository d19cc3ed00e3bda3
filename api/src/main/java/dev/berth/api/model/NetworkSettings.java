package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** swagger {@code NetworkSettings} as shown by container inspect (API 1.50 shape). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkSettings(
        @JsonProperty("SandboxID") String sandboxId,
        @JsonProperty("SandboxKey") String sandboxKey,
        @JsonProperty("Ports") Map<String, List<HostConfig.PortBinding>> ports,
        @JsonProperty("Networks") Map<String, NetworkingConfig.EndpointSettings> networks) {}
