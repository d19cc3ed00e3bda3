package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code POST /networks/{id}/connect} and {@code /disconnect} (Force for disconnect). */
public record NetworkConnectRequest(
        @JsonProperty("Container") String container,
        @JsonProperty("EndpointConfig") NetworkingConfig.EndpointSettings endpointConfig,
        @JsonProperty("Force") boolean force) {}
