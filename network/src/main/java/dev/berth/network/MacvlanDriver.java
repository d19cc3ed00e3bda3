package dev.berth.network;

import dev.berth.common.BerthException;
import dev.berth.sys.net.LinkOp;
import dev.berth.sys.net.NetKernel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The macvlan driver: each endpoint is a macvlan link on the host link {@code -o parent=…},
 * created straight into the container's namespace, so containers appear on the parent's
 * segment with their own MAC (no NAT, no port publishing, as in Docker). Modes: {@code bridge}
 * (default), {@code private}, {@code vepa}, {@code passthru} ({@code -o macvlan_mode=}). A parent
 * is required: Docker's parent-less ("internal") macvlan needs a dummy link, which this kernel
 * lacks. VLAN sub-interfaces ({@code parent=eth0.10}) must exist already. Not thread-safe.
 */
final class MacvlanDriver implements NetworkDriver {
    static final String OPT_PARENT = "parent";
    static final String OPT_MODE = "macvlan_mode";

    private final NetKernel kernel;

    MacvlanDriver(NetKernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public String name() {
        return "macvlan";
    }

    @Override
    public String prepare(DriverNetwork n) {
        String parent = n.options().get(OPT_PARENT);
        if (parent == null || parent.isEmpty()) {
            throw BerthException.invalid(kernel.links().supportsKind("dummy")
                    ? "macvlan: -o parent=<host interface> is required (berth does not create parent-less macvlan networks)"
                    : "macvlan: -o parent=<host interface> is required (a parent-less macvlan network needs a dummy link, which this kernel does not support)");
        }
        if (kernel.links().find(null, parent).isEmpty()) {
            throw BerthException.invalid("-o parent interface was not found on the host: %s", parent);
        }
        String mode = n.options().getOrDefault(OPT_MODE, "bridge");
        if (!List.of("bridge", "private", "vepa", "passthru").contains(mode)) {
            throw BerthException.invalid("requested macvlan mode '%s' is not valid, 'bridge' mode is the macvlan driver default", mode);
        }
        return parent;
    }

    @Override
    public void setUp(DriverNetwork n) {
        if (kernel.links().find(null, n.device()).isEmpty()) {
            System.getLogger(MacvlanDriver.class.getName()).log(System.Logger.Level.WARNING,
                    "macvlan network " + n.name() + ": parent interface " + n.device() + " is missing; containers cannot join it");
        }
    }

    @Override
    public void tearDown(DriverNetwork n) {
        // Nothing on the host: endpoints live in the containers' namespaces.
    }

    @Override
    public void join(Path netns, DriverNetwork n, DriverEndpoint ep, boolean defaultRoute) {
        List<LinkOp> ops = new ArrayList<>(List.of(
                new LinkOp.CreateMacvlan(ep.ifName(), n.device(), n.options().getOrDefault(OPT_MODE, "bridge"), netns, n.mtu()),
                new LinkOp.SetMac(netns, ep.ifName(), ep.mac()),
                new LinkOp.AddAddress(netns, ep.ifName(), ep.ipv4Cidr()),
                new LinkOp.SetUp(netns, ep.ifName()),
                new LinkOp.SetUp(netns, "lo")));
        if (defaultRoute && ep.gateway() != null) {
            ops.add(new LinkOp.AddRoute(netns, "default", ep.gateway(), ep.ifName()));
        }
        if (ep.ipv6Cidr() != null) {
            ops.addAll(LinkPlans.ipv6(netns, ep.ifName(), ep.ipv6Cidr(), defaultRoute ? ep.gateway6() : null));
        }
        kernel.links().applyAll(ops);
    }

    @Override
    public void leave(Path netns, DriverNetwork n, DriverEndpoint ep) {
        if (netns != null) {
            kernel.links().apply(new LinkOp.DeleteLink(netns, ep.ifName()));
        }
    }
}
