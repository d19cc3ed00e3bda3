package dev.berth.network;

import java.nio.file.Path;
import java.util.Map;

/**
 * The seam between the network service and a network driver (libnetwork's driver API, reduced to
 * what a local engine needs). The service owns everything generic — network and endpoint
 * records, IPAM (IPv4 and IPv6), sandboxes (namespaces), the embedded DNS server, resolv.conf
 * and hosts files, and the choice of the interface that carries the default route — and asks the
 * driver only for the kernel objects of one network and of one endpoint in a sandbox. Container
 * code never sees drivers: it sees {@link NetworkService} sandboxes and endpoints, so a new
 * driver (e.g. an overlay with a VXLAN device per network and a global-scope IPAM) plugs in by
 * implementing this interface and being passed to
 * {@link BridgeNetworkService#BridgeNetworkService(java.nio.file.Path, java.nio.file.Path, BridgeOptions, dev.berth.sys.net.NetKernel, java.util.List)}.
 *
 * <p>Lifecycle: {@link #prepare} (validation, before anything is recorded) → {@link #setUp}
 * (at create and again at every daemon start: must be idempotent) → {@link #join}/{@link #leave}
 * per endpoint → {@link #tearDown} at removal. Kernel work goes through {@code sys} interfaces;
 * a failing call throws {@link dev.berth.common.BerthException}. The service calls a driver under
 * its own lock, so implementations need not be thread-safe, but must not block for long.
 */
public interface NetworkDriver {
    /** The name users give with {@code docker network create -d <name>}. */
    String name();

    /** "local" (this host only) or "swarm"/"global" for multi-host drivers (shown by {@code docker network ls}). */
    default String scope() {
        return "local";
    }

    /**
     * Validates a network about to be created and chooses its device (bridge name, parent
     * link, …), returned; null if the driver has none. Must not change the kernel.
     */
    String prepare(DriverNetwork network);

    /** Creates or repairs the kernel objects of a network (idempotent; also called at daemon start). */
    void setUp(DriverNetwork network);

    /** Removes the kernel objects of a network. Absent objects are not an error. */
    void tearDown(DriverNetwork network);

    /**
     * Creates the endpoint's interface {@code endpoint.ifName()} inside the sandbox namespace
     * with its addresses, and (if {@code defaultRoute}) the default routes through its gateways.
     * On failure the caller calls {@link #leave}.
     */
    void join(Path netns, DriverNetwork network, DriverEndpoint endpoint, boolean defaultRoute);

    /** Removes the endpoint's interface (and any host-side link). Absent is not an error. */
    void leave(Path netns, DriverNetwork network, DriverEndpoint endpoint);

    /** Whether published ports (-p) are forwarded to containers on this driver's networks through NAT rules. */
    default boolean publishesPorts() {
        return false;
    }

    /**
     * A network as a driver sees it.
     *
     * @param device what {@link #prepare} chose (bridge name, parent link)
     * @param subnet/gateway IPv4 pool, gateway without prefix
     * @param subnet6/gateway6 IPv6 pool, or null without IPv6
     * @param options the {@code -o} driver options as given
     */
    record DriverNetwork(String id, String name, String device, String subnet, String gateway, String subnet6, String gateway6,
                         boolean internal, int mtu, Map<String, String> options) {}

    /**
     * One endpoint as a driver sees it.
     *
     * @param hostLink a unique host-side link name the driver may use (a veth end), or ignore
     * @param ipv4Cidr e.g. 172.18.0.2/16; ipv6Cidr null without IPv6
     * @param gateway/gateway6 where the default routes point (null: no route, e.g. internal networks)
     */
    record DriverEndpoint(String endpointId, String ifName, String hostLink, String ipv4Cidr, String gateway,
                          String ipv6Cidr, String gateway6, String mac) {}
}
