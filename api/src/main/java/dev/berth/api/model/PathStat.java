package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code X-Docker-Container-Path-Stat} header's JSON (base64 encoded by the router). Mode is Go's os.FileMode bits. */
public record PathStat(
        @JsonProperty("name") String name,
        @JsonProperty("size") long size,
        @JsonProperty("mode") long mode,
        @JsonProperty("mtime") String mtime,
        @JsonProperty("linkTarget") String linkTarget) {}
