package dev.berth.sys.net;

import java.nio.file.Path;

/**
 * One change to network links, described as data so that plans can be computed and
 * golden-tested without root. A {@code netns} of {@code null} means the host (daemon's) network
 * namespace; otherwise it is the path of a persistent namespace file (see {@link NetnsOps}).
 */
public sealed interface LinkOp {
    /** Creates a bridge in the host namespace. */
    record CreateBridge(String name, int mtu) implements LinkOp {}

    /**
     * Creates a veth pair: {@code hostName} stays in the host namespace, {@code peerName} is
     * created directly inside {@code peerNetns} (so it never clashes with host link names).
     */
    record CreateVeth(String hostName, String peerName, Path peerNetns, int mtu) implements LinkOp {}

    /**
     * Creates a macvlan link on host link {@code parent} (mode "bridge", "private", "vepa" or
     * "passthru") and moves it into {@code netns} as {@code name}.
     */
    record CreateMacvlan(String name, String parent, String mode, Path netns, int mtu) implements LinkOp {}

    /** Writes a sysctl inside a namespace (e.g. {@code net.ipv6.conf.all.disable_ipv6=0}); {@code netns} null = host. */
    record SetSysctl(Path netns, String key, String value) implements LinkOp {}

    /** Attaches a host link to a bridge. */
    record SetMaster(String link, String bridge) implements LinkOp {}

    /** Turns hairpin mode of a bridge port on or off (needed for a container reaching its own published port). */
    record SetHairpin(String link, boolean on) implements LinkOp {}

    record SetMac(Path netns, String link, String mac) implements LinkOp {}

    record SetMtu(Path netns, String link, int mtu) implements LinkOp {}

    /** Adds an address in CIDR notation, e.g. {@code 172.30.0.2/16} or {@code fd00::2/64} (IPv6 without duplicate address detection). */
    record AddAddress(Path netns, String link, String cidr) implements LinkOp {}

    record SetUp(Path netns, String link) implements LinkOp {}

    record SetDown(Path netns, String link) implements LinkOp {}

    /** Adds a route; {@code destination} is a CIDR or {@code default}. */
    record AddRoute(Path netns, String destination, String gateway, String device) implements LinkOp {}

    /** Deletes a link (a veth deletes its peer too). Absent is not an error. */
    record DeleteLink(Path netns, String link) implements LinkOp {}
}
