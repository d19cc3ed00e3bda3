package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** swagger {@code HealthConfig}. Durations are nanoseconds; 0 means inherit/default. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthConfig(
        @JsonProperty("Test") List<String> test,
        @JsonProperty("Interval") Long interval,
        @JsonProperty("Timeout") Long timeout,
        @JsonProperty("Retries") Integer retries,
        @JsonProperty("StartPeriod") Long startPeriod,
        @JsonProperty("StartInterval") Long startInterval) {}
