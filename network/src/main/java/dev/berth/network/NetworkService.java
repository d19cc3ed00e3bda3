package dev.berth.network;

import java.util.List;
import java.util.Map;

/**
 * Container networking (Docker's CNM: sandbox, endpoint, network). Owns
 * {@code <data-root>/network} (networks, IPAM allocations, endpoints) and every link, address,
 * route, namespace and firewall rule it creates; removing a sandbox or network removes them all.
 * Drivers (bridge now; macvlan, overlay later) plug in behind this service; container code only
 * sees sandboxes and endpoints. Thread-safe.
 */
public interface NetworkService {
    /** Creates the default networks ("bridge", "host", "none") if missing and re-installs rules for existing sandboxes (live-restore). */
    void start();

    /**
     * Creates a container's sandbox and joins its networks. {@code networkMode} is "bridge"
     * (default), "host", "none", "container:<id>" (resolved by the daemon to {@code joinNetnsPath})
     * or a network name. On failure nothing is left behind.
     */
    Sandbox createSandbox(SandboxRequest request);

    /** Tears down the sandbox: endpoints, published ports, namespace. Absent is not an error. */
    void removeSandbox(String containerId);

    /** The current sandbox of a container, if any (after a restart too). */
    java.util.Optional<Sandbox> sandbox(String containerId);

    // Network objects (user-defined networks are issue 3; the default ones are listed here).
    List<NetworkInfo> networks();

    NetworkInfo network(String nameOrId);

    NetworkInfo createNetwork(NetworkSpec spec);

    void removeNetwork(String nameOrId);

    /** Joins a running container's sandbox to one more network. */
    Endpoint connect(String containerId, String network, EndpointRequest request);

    void disconnect(String containerId, String network, boolean force);

    /**
     * @param hostname/domainname for /etc/hostname and /etc/hosts
     * @param ports container port ("80/tcp") → requested bindings; host port "" means any free port
     * @param publishAll publish every exposed port to a random host port (-P)
     * @param exposedPorts "80/tcp" style
     * @param endpoints network name → requested endpoint settings
     * @param joinNetnsPath for "container:" mode, the netns path of the other container
     */
    record SandboxRequest(
            String containerId,
            String containerName,
            String networkMode,
            String hostname,
            String domainname,
            Map<String, List<PortBindingRequest>> ports,
            boolean publishAll,
            List<String> exposedPorts,
            Map<String, EndpointRequest> endpoints,
            List<String> dns,
            List<String> dnsSearch,
            List<String> dnsOptions,
            List<String> extraHosts,
            String joinNetnsPath) {}

    record PortBindingRequest(String hostIp, String hostPort) {}

    record EndpointRequest(String ipv4Address, String ipv6Address, List<String> aliases, String macAddress, Map<String, String> driverOpts) {}

    /**
     * @param netnsPath the namespace to put in the OCI spec; null for host networking
     * @param hostsFile/resolvConf/hostnameFile contents to write and bind-mount into the container
     * @param ports container port ("80/tcp") → actual host bindings (random ports resolved)
     */
    record Sandbox(
            String containerId,
            String sandboxId,
            String netnsPath,
            Map<String, Endpoint> endpoints,
            Map<String, List<PortBindingRequest>> ports,
            String hostsFile,
            String resolvConf,
            String hostnameFile) {}

    record Endpoint(
            String networkId,
            String networkName,
            String endpointId,
            String ipv4Address,
            int ipv4PrefixLen,
            String gateway,
            String ipv6Address,
            int ipv6PrefixLen,
            String ipv6Gateway,
            String macAddress,
            List<String> aliases,
            List<String> dnsNames) {}

    record NetworkSpec(String name, String driver, boolean internal, boolean attachable, boolean enableIpv6, List<IpamPool> ipam, Map<String, String> options, Map<String, String> labels) {}

    record IpamPool(String subnet, String ipRange, String gateway) {}

    record NetworkInfo(
            String id,
            String name,
            String driver,
            String scope,
            String created,
            boolean internal,
            boolean attachable,
            boolean enableIpv6,
            List<IpamPool> ipam,
            Map<String, String> options,
            Map<String, String> labels,
            Map<String, Endpoint> endpointsByContainer) {}
}
