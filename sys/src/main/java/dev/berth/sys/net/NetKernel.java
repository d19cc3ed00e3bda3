package dev.berth.sys.net;

/**
 * The kernel networking facilities the network module needs, bundled so one object can be
 * injected. {@code filter6} is the IPv6 filter (ip6tables), null where IPv6 is unavailable. {@code sockets} may be null where no embedded DNS is wanted (tests). Use {@link #linux()} in the daemon and fakes in tests.
 */
public record NetKernel(LinkOps links, NetnsOps netns, PacketFilter filter, Sysctl sysctl, PortProbe ports, NetnsSockets sockets,
                        PacketFilter filter6) {
    /** Without an IPv6 packet filter ({@code filter6} null: IPv6 networks cannot publish ports or masquerade). */
    public NetKernel(LinkOps links, NetnsOps netns, PacketFilter filter, Sysctl sysctl, PortProbe ports, NetnsSockets sockets) {
        this(links, netns, filter, sysctl, ports, sockets, null);
    }

    /** The real implementations (iproute2, util-linux, iptables, ip6tables, /proc/sys, sockets). Probes the iptables backends. */
    public static NetKernel linux() {
        return new NetKernel(new IpLinkOps(), new LinuxNetnsOps(), IptablesFilter.detect(), new ProcSysctl(), new SocketPortProbe(),
                new LinuxNetnsSockets(), IptablesFilter.detect6());
    }
}
