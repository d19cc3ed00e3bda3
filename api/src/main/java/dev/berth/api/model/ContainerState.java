package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** swagger {@code ContainerState}. Times are RFC 3339 with nanoseconds; zero time is "0001-01-01T00:00:00Z". */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerState(
        @JsonProperty("Status") String status,
        @JsonProperty("Running") boolean running,
        @JsonProperty("Paused") boolean paused,
        @JsonProperty("Restarting") boolean restarting,
        @JsonProperty("OOMKilled") boolean oomKilled,
        @JsonProperty("Dead") boolean dead,
        @JsonProperty("Pid") int pid,
        @JsonProperty("ExitCode") int exitCode,
        @JsonProperty("Error") String error,
        @JsonProperty("StartedAt") String startedAt,
        @JsonProperty("FinishedAt") String finishedAt,
        @JsonProperty("Health") Health health) {

    /** swagger {@code Health}; status is "none", "starting", "healthy" or "unhealthy". */
    public record Health(
            @JsonProperty("Status") String status,
            @JsonProperty("FailingStreak") int failingStreak,
            @JsonProperty("Log") List<HealthcheckResult> log) {}

    public record HealthcheckResult(
            @JsonProperty("Start") String start,
            @JsonProperty("End") String end,
            @JsonProperty("ExitCode") int exitCode,
            @JsonProperty("Output") String output) {}
}
