package dev.berth.sys.net;

/** Tells whether a host port can be bound right now (by binding it briefly). Thread-safe. */
@FunctionalInterface
public interface PortProbe {
    /**
     * @param proto "tcp", "udp" or "sctp" (probed as tcp)
     * @param hostIp an IPv4 address, "0.0.0.0" for all
     */
    boolean isFree(String proto, String hostIp, int port);
}
