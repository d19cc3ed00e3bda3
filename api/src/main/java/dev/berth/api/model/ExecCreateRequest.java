package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Body of {@code POST /containers/{id}/exec}. */
public record ExecCreateRequest(
        @JsonProperty("AttachStdin") boolean attachStdin,
        @JsonProperty("AttachStdout") boolean attachStdout,
        @JsonProperty("AttachStderr") boolean attachStderr,
        @JsonProperty("ConsoleSize") List<Integer> consoleSize,
        @JsonProperty("DetachKeys") String detachKeys,
        @JsonProperty("Tty") boolean tty,
        @JsonProperty("Env") List<String> env,
        @JsonProperty("Cmd") List<String> cmd,
        @JsonProperty("Privileged") boolean privileged,
        @JsonProperty("User") String user,
        @JsonProperty("WorkingDir") String workingDir) {}
