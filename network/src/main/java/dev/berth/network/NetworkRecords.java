package dev.berth.network;

import java.util.List;
import java.util.Map;

/** The persisted state of the network service (JSON under {@code <data-root>/network}). */
final class NetworkRecords {
    private NetworkRecords() {}

    /**
     * A network. {@code subnet}/{@code gateway}/{@code bridge} are null for "host" and "none".
     *
     * @param gateway the gateway address without prefix
     */
    record NetworkRecord(String id, String name, String driver, String created, boolean internal, boolean attachable,
                         boolean enableIpv6, String subnet, String gateway, String ipRange, String bridge,
                         Map<String, String> options, Map<String, String> labels) {}

    /** One interface of a sandbox on a bridge network. */
    record EndpointRecord(String networkId, String networkName, String endpointId, String ifName, String vethHost,
                          String ip, int prefixLen, String gateway, String mac, List<String> aliases) {}

    /**
     * @param mode "bridge" (any bridge network), "host", "none" or "container"
     * @param ownsNetns whether removing the sandbox deletes {@code netnsPath}
     * @param dnsUpstreams where the embedded DNS server forwards; null when the sandbox has none
     */
    record SandboxRecord(String containerId, String containerName, String sandboxId, String mode, String netnsPath, boolean ownsNetns,
                         List<EndpointRecord> endpoints, List<PortMapping> ports, List<String> unpublished,
                         String hostsFile, String resolvConf, String hostnameFile, List<String> dnsUpstreams) {}

    /**
     * IPAM state of one network.
     *
     * @param last the most recently handed-out address: allocation continues after it, so a
     *             released address is not reused at once (as Docker's allocator does)
     * @param allocated address → owner (container id)
     * @param ipRange where automatic allocation picks from (a CIDR inside the subnet), or null for the whole subnet
     */
    record IpamState(String subnet, String gateway, String last, Map<String, String> allocated, String ipRange) {}
}
