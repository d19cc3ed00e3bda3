package dev.berth.client;

/** What {@code /_ping} reports: the engine's API version, OS type and whether it is experimental. */
public record Ping(String apiVersion, String osType, boolean experimental, String builderVersion) {}
