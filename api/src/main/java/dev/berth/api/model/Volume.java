package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** swagger {@code Volume}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Volume(
        @JsonProperty("Name") String name,
        @JsonProperty("Driver") String driver,
        @JsonProperty("Mountpoint") String mountpoint,
        @JsonProperty("CreatedAt") String createdAt,
        @JsonProperty("Status") Map<String, Object> status,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("Scope") String scope,
        @JsonProperty("Options") Map<String, String> options,
        @JsonProperty("UsageData") UsageData usageData) {

    /** Size in bytes (-1 unknown) and the number of containers referencing the volume. */
    public record UsageData(@JsonProperty("Size") long size, @JsonProperty("RefCount") long refCount) {}
}
