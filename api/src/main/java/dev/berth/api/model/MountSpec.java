package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** swagger {@code Mount}: one entry of {@code HostConfig.Mounts} ({@code --mount}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MountSpec(
        @JsonProperty("Target") String target,
        @JsonProperty("Source") String source,
        @JsonProperty("Type") String type,
        @JsonProperty("ReadOnly") Boolean readOnly,
        @JsonProperty("Consistency") String consistency,
        @JsonProperty("BindOptions") BindOptions bindOptions,
        @JsonProperty("VolumeOptions") VolumeOptions volumeOptions,
        @JsonProperty("TmpfsOptions") TmpfsOptions tmpfsOptions) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BindOptions(
            @JsonProperty("Propagation") String propagation,
            @JsonProperty("NonRecursive") Boolean nonRecursive,
            @JsonProperty("CreateMountpoint") Boolean createMountpoint,
            @JsonProperty("ReadOnlyNonRecursive") Boolean readOnlyNonRecursive,
            @JsonProperty("ReadOnlyForceRecursive") Boolean readOnlyForceRecursive) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VolumeOptions(
            @JsonProperty("NoCopy") Boolean noCopy,
            @JsonProperty("Labels") Map<String, String> labels,
            @JsonProperty("DriverConfig") DriverConfig driverConfig,
            @JsonProperty("Subpath") String subpath) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DriverConfig(@JsonProperty("Name") String name, @JsonProperty("Options") Map<String, String> options) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TmpfsOptions(
            @JsonProperty("SizeBytes") Long sizeBytes,
            @JsonProperty("Mode") Integer mode,
            @JsonProperty("Options") java.util.List<java.util.List<String>> options) {}
}
