package dev.berth.sys.net;

/**
 * The kernel networking facilities the network module needs, bundled so one object can be
 * injected. {@code sockets} may be null where no embedded DNS is wanted (tests). Use {@link #linux()} in the daemon and fakes in tests.
 */
public record NetKernel(LinkOps links, NetnsOps netns, PacketFilter filter, Sysctl sysctl, PortProbe ports, NetnsSockets sockets) {
    /** The real implementations (iproute2, util-linux, iptables, /proc/sys, sockets). Probes the iptables backend. */
    public static NetKernel linux() {
        return new NetKernel(new IpLinkOps(), new LinuxNetnsOps(), IptablesFilter.detect(), new ProcSysctl(), new SocketPortProbe(),
                new LinuxNetnsSockets());
    }
}
