package dev.berth.network;

/**
 * One published port after resolution: traffic to {@code hostIp:hostPort} (proto) goes to the
 * container's {@code containerPort}. {@code hostIp} "0.0.0.0" means every host address.
 */
public record PortMapping(String proto, String hostIp, int hostPort, int containerPort) {
    /** The container-port key Docker uses, e.g. {@code 80/tcp}. */
    public String key() {
        return containerPort + "/" + proto;
    }
}
