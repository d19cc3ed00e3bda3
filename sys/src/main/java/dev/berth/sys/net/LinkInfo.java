package dev.berth.sys.net;

/**
 * A link as the kernel reports it.
 *
 * @param kind "bridge", "veth", … or "" for physical/loopback links
 * @param master the bridge this link is attached to, or null
 */
public record LinkInfo(String name, int index, String kind, String master, boolean up, String mac, int mtu) {}
