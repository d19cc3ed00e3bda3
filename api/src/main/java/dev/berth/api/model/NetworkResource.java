package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** swagger {@code NetworkInspect} / {@code NetworkSummary}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkResource(
        @JsonProperty("Name") String name,
        @JsonProperty("Id") String id,
        @JsonProperty("Created") String created,
        @JsonProperty("Scope") String scope,
        @JsonProperty("Driver") String driver,
        @JsonProperty("EnableIPv4") boolean enableIpv4,
        @JsonProperty("EnableIPv6") boolean enableIpv6,
        @JsonProperty("IPAM") Ipam ipam,
        @JsonProperty("Internal") boolean internal,
        @JsonProperty("Attachable") boolean attachable,
        @JsonProperty("Ingress") boolean ingress,
        @JsonProperty("ConfigOnly") boolean configOnly,
        @JsonProperty("Containers") Map<String, EndpointResource> containers,
        @JsonProperty("Options") Map<String, String> options,
        @JsonProperty("Labels") Map<String, String> labels) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Ipam(
            @JsonProperty("Driver") String driver,
            @JsonProperty("Config") List<IpamConfig> config,
            @JsonProperty("Options") Map<String, String> options) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IpamConfig(
            @JsonProperty("Subnet") String subnet,
            @JsonProperty("IPRange") String ipRange,
            @JsonProperty("Gateway") String gateway,
            @JsonProperty("AuxiliaryAddresses") Map<String, String> auxiliaryAddresses) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EndpointResource(
            @JsonProperty("Name") String name,
            @JsonProperty("EndpointID") String endpointId,
            @JsonProperty("MacAddress") String macAddress,
            @JsonProperty("IPv4Address") String ipv4Address,
            @JsonProperty("IPv6Address") String ipv6Address) {}
}
