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
}
