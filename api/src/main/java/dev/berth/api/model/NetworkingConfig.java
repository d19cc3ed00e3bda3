package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** swagger {@code NetworkingConfig}: endpoints to create at container create time. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkingConfig(@JsonProperty("EndpointsConfig") Map<String, EndpointSettings> endpointsConfig) {

    /** swagger {@code EndpointSettings}: request and inspect shape of one network attachment. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EndpointSettings(
            @JsonProperty("IPAMConfig") EndpointIpamConfig ipamConfig,
            @JsonProperty("Links") List<String> links,
            @JsonProperty("MacAddress") String macAddress,
            @JsonProperty("Aliases") List<String> aliases,
            @JsonProperty("DriverOpts") Map<String, String> driverOpts,
            @JsonProperty("GwPriority") Integer gwPriority,
            @JsonProperty("NetworkID") String networkId,
            @JsonProperty("EndpointID") String endpointId,
            @JsonProperty("Gateway") String gateway,
            @JsonProperty("IPAddress") String ipAddress,
            @JsonProperty("IPPrefixLen") Integer ipPrefixLen,
            @JsonProperty("IPv6Gateway") String ipv6Gateway,
            @JsonProperty("GlobalIPv6Address") String globalIpv6Address,
            @JsonProperty("GlobalIPv6PrefixLen") Integer globalIpv6PrefixLen,
            @JsonProperty("DNSNames") List<String> dnsNames) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EndpointIpamConfig(
            @JsonProperty("IPv4Address") String ipv4Address,
            @JsonProperty("IPv6Address") String ipv6Address,
            @JsonProperty("LinkLocalIPs") List<String> linkLocalIps) {}
}
