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
     * @param bridge the driver's device: the bridge (bridge driver), the parent link (macvlan)
     * @param subnet6 the IPv6 subnet of an {@code enableIpv6} network, else null (records written before IPv6 support read as null)
     * @param gateway6 the IPv6 gateway without prefix, else null
     */
    record NetworkRecord(String id, String name, String driver, String created, boolean internal, boolean attachable,
                         boolean enableIpv6, String subnet, String gateway, String ipRange, String bridge,
                         Map<String, String> options, Map<String, String> labels, String subnet6, String gateway6) {
        NetworkRecord(String id, String name, String driver, String created, boolean internal, boolean attachable,
                      boolean enableIpv6, String subnet, String gateway, String ipRange, String bridge,
                      Map<String, String> options, Map<String, String> labels) {
            this(id, name, driver, created, internal, attachable, enableIpv6, subnet, gateway, ipRange, bridge, options, labels, null, null);
        }
    }

    /**
     * One interface of a sandbox on a network.
     *
     * @param vethHost the host end of the veth (bridge driver); unused by drivers without a host link
     * @param gateway null when the endpoint gets no default route through it (internal networks)
     * @param ip6 the IPv6 address without prefix, or null
     */
    record EndpointRecord(String networkId, String networkName, String endpointId, String ifName, String vethHost,
                          String ip, int prefixLen, String gateway, String mac, List<String> aliases,
                          String ip6, int prefixLen6, String gateway6) {
        EndpointRecord(String networkId, String networkName, String endpointId, String ifName, String vethHost,
                       String ip, int prefixLen, String gateway, String mac, List<String> aliases) {
            this(networkId, networkName, endpointId, ifName, vethHost, ip, prefixLen, gateway, mac, aliases, null, 0, null);
        }
    }

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
