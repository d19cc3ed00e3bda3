package dev.berth.network;

import dev.berth.common.BerthException;
import java.nio.file.Path;
import java.util.List;

/**
 * Daemon options of {@link BridgeNetworkService}; null or blank values take the defaults.
 *
 * @param bridgeName the default bridge device ("berth0")
 * @param bridgeCidr gateway address and prefix of the default bridge. Without it, as dockerd without --bip: the
 *        fixed-cidr's subnet if one is given (unless it lies inside the default 172.30.0.0/16 and there are no pools);
 *        else null when pools are given, meaning "the first free subnet of the pools, chosen at start"
 *        ({@link #bridgeFromPools}); else "172.30.0.1/16"
 * @param defaultBindIp host address for published ports without one ("0.0.0.0"; "127.0.0.1" keeps them local)
 * @param chainPrefix names of our iptables chains ("BERTH"; chains BERTH, BERTH-POSTROUTING, BERTH-FORWARD)
 * @param mtu of the default bridge and its veths (1500); user-defined networks take their own option or 1500 (dockerd's --mtu)
 * @param hostResolvConf the host's resolv.conf ("/etc/resolv.conf")
 * @param hostHosts the host's hosts file, used for host networking ("/etc/hosts")
 * @param fixedCidr the part of the default bridge's subnet that containers get addresses from (dockerd's --fixed-cidr); null for all of it
 * @param addressPools where user-defined networks without a subnet get theirs (dockerd's --default-address-pool); empty for the built-in list
 * @param icc containers on the default bridge may reach each other (dockerd's --icc, true)
 * @param ipMasq traffic from the default bridge to elsewhere is masqueraded (dockerd's --ip-masq, true)
 * @param dnsSearch search domains for containers that set none (dockerd's --dns-search)
 * @param dnsOptions resolv.conf options for containers that set none (dockerd's --dns-opt)
 * @param hostGatewayIp what "host-gateway" in extra hosts means (dockerd's --host-gateway-ip); null for the default bridge's gateway
 */
public record BridgeOptions(String bridgeName, String bridgeCidr, String defaultBindIp, String chainPrefix, int mtu,
                            Path hostResolvConf, Path hostHosts, String fixedCidr, List<Pool> addressPools, boolean icc,
                            boolean ipMasq, List<String> dnsSearch, List<String> dnsOptions, String hostGatewayIp) {
    /** One default address pool: subnets with prefix length {@code size} carved out of {@code base}, in order. */
    public record Pool(String base, int size) {
        public Pool {
            Ipv4.Cidr b = Ipv4.Cidr.parse(base);
            if (size < b.prefix() || size > 30) {
                throw BerthException.invalid("invalid pools size: %d", size);
            }
        }
    }

    static final String DEFAULT_BRIDGE_CIDR = "172.30.0.1/16";

    public BridgeOptions {
        bridgeName = blank(bridgeName) ? "berth0" : bridgeName;
        addressPools = addressPools == null ? List.of() : List.copyOf(addressPools);
        fixedCidr = blank(fixedCidr) ? null : fixedCidr;
        if (blank(bridgeCidr)) {
            if (fixedCidr != null) {
                // dockerd: without --bip the fixed-cidr is the bridge's preferred pool
                Ipv4.Cidr fixed = Ipv4.Cidr.parse(fixedCidr);
                Ipv4.Cidr dflt = Ipv4.Cidr.parse(DEFAULT_BRIDGE_CIDR);
                boolean inDefault = addressPools.isEmpty() && fixed.prefix() >= dflt.prefix() && dflt.contains(fixed.network());
                bridgeCidr = inDefault ? DEFAULT_BRIDGE_CIDR : Ipv4.format(fixed.network() + 1) + "/" + fixed.prefix();
            } else {
                bridgeCidr = addressPools.isEmpty() ? DEFAULT_BRIDGE_CIDR : null;
            }
        }
        defaultBindIp = blank(defaultBindIp) ? "0.0.0.0" : defaultBindIp;
        chainPrefix = blank(chainPrefix) ? "BERTH" : chainPrefix;
        mtu = mtu <= 0 ? 1500 : mtu;
        hostResolvConf = hostResolvConf == null ? Path.of("/etc/resolv.conf") : hostResolvConf;
        hostHosts = hostHosts == null ? Path.of("/etc/hosts") : hostHosts;
        dnsSearch = dnsSearch == null ? List.of() : List.copyOf(dnsSearch);
        dnsOptions = dnsOptions == null ? List.of() : List.copyOf(dnsOptions);
        hostGatewayIp = blank(hostGatewayIp) ? null : hostGatewayIp;
        if (bridgeCidr != null) {
            Ipv4.Cidr.parse(bridgeCidr); // fail early on a bad daemon option
        }
        Ipv4.parse(defaultBindIp);
        if (bridgeCidr != null && fixedCidr != null) {
            Ipv4.Cidr bridge = Ipv4.Cidr.parse(bridgeCidr);
            Ipv4.Cidr fixed = Ipv4.Cidr.parse(fixedCidr);
            Ipv4.Cidr subnet = new Ipv4.Cidr(bridge.network(), bridge.prefix());
            if (fixed.prefix() < bridge.prefix() || !subnet.contains(fixed.network())) {
                throw BerthException.invalid("fixed-cidr %s is not inside the default bridge's subnet %s (set --bip to match)",
                        fixedCidr, subnet.subnet());
            }
        }
    }

    /** The settings of earlier versions; the newer ones take dockerd's defaults. */
    public BridgeOptions(String bridgeName, String bridgeCidr, String defaultBindIp, String chainPrefix, int mtu,
                         Path hostResolvConf, Path hostHosts) {
        this(bridgeName, bridgeCidr, defaultBindIp, chainPrefix, mtu, hostResolvConf, hostHosts, null, List.of(), true, true,
                List.of(), List.of(), null);
    }

    /** Whether the default bridge's subnet is chosen from the address pools at start (no --bip, no --fixed-cidr). */
    public boolean bridgeFromPools() {
        return bridgeCidr == null;
    }

    public static BridgeOptions defaults() {
        return new BridgeOptions(null, null, null, null, 0, null, null);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
