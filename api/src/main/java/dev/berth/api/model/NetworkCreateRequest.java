package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** Body of {@code POST /networks/create}. */
public record NetworkCreateRequest(
        @JsonProperty("Name") String name,
        @JsonProperty("Driver") String driver,
        @JsonProperty("Scope") String scope,
        @JsonProperty("Internal") boolean internal,
        @JsonProperty("Attachable") boolean attachable,
        @JsonProperty("Ingress") boolean ingress,
        @JsonProperty("ConfigOnly") boolean configOnly,
        @JsonProperty("EnableIPv4") Boolean enableIpv4,
        @JsonProperty("EnableIPv6") Boolean enableIpv6,
        @JsonProperty("IPAM") NetworkResource.Ipam ipam,
        @JsonProperty("Options") Map<String, String> options,
        @JsonProperty("Labels") Map<String, String> labels) {}
