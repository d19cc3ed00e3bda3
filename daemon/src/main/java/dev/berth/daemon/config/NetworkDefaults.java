package dev.berth.daemon.config;

import java.util.List;

/**
 * Daemon-wide networking settings beyond {@code --bip}/{@code --ip} (dockerd's {@code --mtu},
 * {@code --fixed-cidr}, {@code --default-address-pool}, {@code --icc}, {@code --ip-masq},
 * {@code --userland-proxy}, {@code --dns-search}, {@code --dns-opt}, {@code --host-gateway-ip}).
 * The bridge settings apply to the default bridge only, as in dockerd; the address pools to
 * user-defined networks created without a subnet. Immutable.
 *
 * @param mtu MTU of the default bridge and its veths; 0 for 1500
 * @param fixedCidr IPv4 range (inside the bridge subnet) the default bridge allocates from; null for the whole subnet
 * @param addressPools where user-defined networks without a subnet get theirs; empty for Berth's built-in list
 * @param icc whether containers on the default bridge may talk to each other
 * @param ipMasq whether traffic leaving the default bridge is masqueraded
 * @param userlandProxy accepted for compatibility: Berth publishes ports with iptables only, never with a proxy
 * @param dnsSearch search domains for containers that set none
 * @param dnsOptions resolv.conf options for containers that set none
 * @param hostGatewayIp what {@code host-gateway} in {@code --add-host} means; null for the default bridge's gateway
 */
public record NetworkDefaults(int mtu, String fixedCidr, List<AddressPool> addressPools, boolean icc, boolean ipMasq,
                              boolean userlandProxy, List<String> dnsSearch, List<String> dnsOptions, String hostGatewayIp) {
    /** One {@code --default-address-pool}: subnets of prefix {@code size} are carved out of {@code base}. */
    public record AddressPool(String base, int size) {}

    public NetworkDefaults {
        addressPools = addressPools == null ? List.of() : List.copyOf(addressPools);
        dnsSearch = dnsSearch == null ? List.of() : List.copyOf(dnsSearch);
        dnsOptions = dnsOptions == null ? List.of() : List.copyOf(dnsOptions);
    }

    public static NetworkDefaults none() {
        return new NetworkDefaults(0, null, List.of(), true, true, true, List.of(), List.of(), null);
    }
}
