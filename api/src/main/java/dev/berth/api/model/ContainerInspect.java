package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** swagger {@code ContainerInspectResponse}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerInspect(
        @JsonProperty("Id") String id,
        @JsonProperty("Created") String created,
        @JsonProperty("Path") String path,
        @JsonProperty("Args") List<String> args,
        @JsonProperty("State") ContainerState state,
        @JsonProperty("Image") String image,
        @JsonProperty("ResolvConfPath") String resolvConfPath,
        @JsonProperty("HostnamePath") String hostnamePath,
        @JsonProperty("HostsPath") String hostsPath,
        @JsonProperty("LogPath") String logPath,
        @JsonProperty("Name") String name,
        @JsonProperty("RestartCount") int restartCount,
        @JsonProperty("Driver") String driver,
        @JsonProperty("Platform") String platform,
        @JsonProperty("MountLabel") String mountLabel,
        @JsonProperty("ProcessLabel") String processLabel,
        @JsonProperty("AppArmorProfile") String appArmorProfile,
        @JsonProperty("ExecIDs") List<String> execIds,
        @JsonProperty("HostConfig") HostConfig hostConfig,
        @JsonProperty("GraphDriver") GraphDriver graphDriver,
        @JsonProperty("SizeRw") Long sizeRw,
        @JsonProperty("SizeRootFs") Long sizeRootFs,
        @JsonProperty("Mounts") List<MountPoint> mounts,
        @JsonProperty("Config") ContainerConfig config,
        @JsonProperty("NetworkSettings") NetworkSettings networkSettings) {

    /** swagger {@code DriverData}. */
    public record GraphDriver(@JsonProperty("Name") String name, @JsonProperty("Data") java.util.Map<String, String> data) {}
}
