package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** swagger {@code ContainerSummary}: one row of {@code GET /containers/json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerSummary(
        @JsonProperty("Id") String id,
        @JsonProperty("Names") List<String> names,
        @JsonProperty("Image") String image,
        @JsonProperty("ImageID") String imageId,
        @JsonProperty("Command") String command,
        @JsonProperty("Created") long created,
        @JsonProperty("Ports") List<Port> ports,
        @JsonProperty("SizeRw") Long sizeRw,
        @JsonProperty("SizeRootFs") Long sizeRootFs,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("State") String state,
        @JsonProperty("Status") String status,
        @JsonProperty("HostConfig") SummaryHostConfig hostConfig,
        @JsonProperty("NetworkSettings") SummaryNetworkSettings networkSettings,
        @JsonProperty("Mounts") List<MountPoint> mounts) {

    /** swagger {@code Port}: a published or exposed port. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Port(
            @JsonProperty("IP") String ip,
            @JsonProperty("PrivatePort") int privatePort,
            @JsonProperty("PublicPort") Integer publicPort,
            @JsonProperty("Type") String type) {}

    public record SummaryHostConfig(@JsonProperty("NetworkMode") String networkMode) {}

    public record SummaryNetworkSettings(
            @JsonProperty("Networks") Map<String, NetworkingConfig.EndpointSettings> networks) {}
}
