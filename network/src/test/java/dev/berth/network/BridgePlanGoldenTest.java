package dev.berth.network;

import dev.berth.sys.net.LinkOp;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The rule sets and link plans of bridge networking, as data, against golden files. */
class BridgePlanGoldenTest {
    private final BridgeRules rules = new BridgeRules("BERTH");

    @Test
    void baseAndDefaultNetworkRules() {
        Golden.assertMatches("rules-base-and-bridge.txt",
                rules.base().render() + rules.network("n1", "berth0", "172.30.0.0/16", false).render()
                        + rules.network("n2", "br-0123456789ab", "172.31.0.0/16", true).render());
    }

    @Test
    void sandboxWithPublishedPorts() {
        List<PortMapping> ports = List.of(
                new PortMapping("tcp", "0.0.0.0", 8080, 80),
                new PortMapping("tcp", "127.0.0.1", 8443, 443),
                new PortMapping("udp", "0.0.0.0", 32800, 53));
        String links = LinkPlans.attach("berth0", Path.of("/run/berth/netns/0123456789ab"), "veth1a2b3c4", "eth0",
                        "172.30.0.2/16", "172.30.0.1", Ipv4.macFor("172.30.0.2"), 1500, true)
                .stream().map(LinkOp::toString).collect(Collectors.joining("\n", "# link plan\n", "\n"));
        Golden.assertMatches("sandbox-with-ports.txt",
                links + rules.sandbox("c0ffee", "berth0", "172.30.0.2", ports).render()
                        + LinkPlans.detach("veth1a2b3c4").stream().map(LinkOp::toString).collect(Collectors.joining("\n", "# teardown\n", "\n")));
    }

    @Test
    void ipv6AndIccRulesAndMacvlanAndIpv6Plans() {
        List<PortMapping> ports = List.of(new PortMapping("tcp", "::", 8080, 80));
        FakeLinks links = new FakeLinks();
        new MacvlanDriver(new dev.berth.sys.net.NetKernel(links, null, null, null, null, null)).join(Path.of("/run/berth/netns/c1"),
                new NetworkDriver.DriverNetwork("n", "mv", "eth9", "192.168.1.0/24", "192.168.1.1", "fd00:9::/64", "fd00:9::1", false, 1500, java.util.Map.of()),
                new NetworkDriver.DriverEndpoint("e", "eth0", null, "192.168.1.2/24", "192.168.1.1", "fd00:9::2/64", "fd00:9::1", "02:42:c0:a8:01:02"), true);
        Golden.assertMatches("ipv6-icc-macvlan.txt",
                rules.network("n6", "br-v6", "fd00:1::/64", false, false, true, true).render()
                        + rules.sandbox("c0ffee", "br-v6", "fd00:1::2", ports).render()
                        + links.ops.stream().map(LinkOp::toString).collect(Collectors.joining("\n", "# macvlan join\n", "\n")));
    }

    /** Records link operations (the macvlan join plan). */
    static final class FakeLinks implements dev.berth.sys.net.LinkOps {
        final List<LinkOp> ops = new java.util.ArrayList<>();

        @Override
        public void apply(LinkOp op) {
            ops.add(op);
        }

        @Override
        public List<dev.berth.sys.net.LinkInfo> list(Path netns) {
            return List.of();
        }

        @Override
        public List<String> ipv4Addresses(Path netns, String link) {
            return List.of();
        }
    }
}
