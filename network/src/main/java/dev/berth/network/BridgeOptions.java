package dev.berth.network;

import java.nio.file.Path;

/**
 * Daemon options of {@link BridgeNetworkService}; null or blank values take the defaults.
 *
 * @param bridgeName the default bridge device ("berth0")
 * @param bridgeCidr gateway address and prefix of the default bridge ("172.30.0.1/16")
 * @param defaultBindIp host address for published ports without one ("0.0.0.0"; "127.0.0.1" keeps them local)
 * @param chainPrefix names of our iptables chains ("BERTH"; chains BERTH, BERTH-POSTROUTING, BERTH-FORWARD)
 * @param mtu of bridges and veths (1500)
 * @param hostResolvConf the host's resolv.conf ("/etc/resolv.conf")
 * @param hostHosts the host's hosts file, used for host networking ("/etc/hosts")
 */
public record BridgeOptions(String bridgeName, String bridgeCidr, String defaultBindIp, String chainPrefix, int mtu,
                            Path hostResolvConf, Path hostHosts) {
    public BridgeOptions {
        bridgeName = blank(bridgeName) ? "berth0" : bridgeName;
        bridgeCidr = blank(bridgeCidr) ? "172.30.0.1/16" : bridgeCidr;
        defaultBindIp = blank(defaultBindIp) ? "0.0.0.0" : defaultBindIp;
        chainPrefix = blank(chainPrefix) ? "BERTH" : chainPrefix;
        mtu = mtu <= 0 ? 1500 : mtu;
        hostResolvConf = hostResolvConf == null ? Path.of("/etc/resolv.conf") : hostResolvConf;
        hostHosts = hostHosts == null ? Path.of("/etc/hosts") : hostHosts;
        Ipv4.Cidr.parse(bridgeCidr); // fail early on a bad daemon option
        Ipv4.parse(defaultBindIp);
    }

    public static BridgeOptions defaults() {
        return new BridgeOptions(null, null, null, null, 0, null, null);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
