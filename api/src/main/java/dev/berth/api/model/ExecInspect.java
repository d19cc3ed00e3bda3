package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** swagger {@code ExecInspectResponse}. ExitCode is null while the process has not exited. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ExecInspect(
        @JsonProperty("CanRemove") boolean canRemove,
        @JsonProperty("DetachKeys") String detachKeys,
        @JsonProperty("ID") String id,
        @JsonProperty("Running") boolean running,
        @JsonProperty("ExitCode") Integer exitCode,
        @JsonProperty("ProcessConfig") ProcessConfig processConfig,
        @JsonProperty("OpenStdin") boolean openStdin,
        @JsonProperty("OpenStderr") boolean openStderr,
        @JsonProperty("OpenStdout") boolean openStdout,
        @JsonProperty("ContainerID") String containerId,
        @JsonProperty("Pid") int pid) {

    public record ProcessConfig(
            @JsonProperty("privileged") boolean privileged,
            @JsonProperty("user") String user,
            @JsonProperty("tty") boolean tty,
            @JsonProperty("entrypoint") String entrypoint,
            @JsonProperty("arguments") List<String> arguments) {}
}
