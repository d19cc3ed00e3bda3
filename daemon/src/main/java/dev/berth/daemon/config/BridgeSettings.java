package dev.berth.daemon.config;

import dev.berth.network.BridgeOptions;

/**
 * The network module's {@link BridgeOptions} from the daemon's settings (--bip, --ip, --mtu,
 * --fixed-cidr, --default-address-pool, --icc, --ip-masq, --dns-search, --dns-opt,
 * --host-gateway-ip). One mapping for start-up and for {@code --validate}, so that a fixed-cidr
 * outside the bridge subnet fails both the same way. Pure.
 */
public final class BridgeSettings {
    private BridgeSettings() {}

    public static BridgeOptions of(DaemonConfig config) {
        NetworkDefaults n = config.networkDefaults();
        return new BridgeOptions(null, config.bridgeIp(), config.defaultBindAddress(), null, n.mtu(), null, null,
                n.fixedCidr(), n.addressPools().stream().map(p -> new BridgeOptions.Pool(p.base(), p.size())).toList(),
                n.icc(), n.ipMasq(), n.dnsSearch(), n.dnsOptions(), n.hostGatewayIp());
    }
}
