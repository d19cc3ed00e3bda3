package dev.berth.sys.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The ip/nsenter command lines of every link operation, against a golden file. */
class IpLinkOpsArgvTest {
    @Test
    void argvMatchesGolden() throws IOException {
        Path ns = Path.of("/run/berth/netns/0123456789ab");
        List<LinkOp> ops = List.of(
                new LinkOp.CreateBridge("berth0", 1500),
                new LinkOp.CreateVeth("veth1a2b3c4", "eth0", ns, 1500),
                new LinkOp.SetMaster("veth1a2b3c4", "berth0"),
                new LinkOp.SetHairpin("veth1a2b3c4", true),
                new LinkOp.SetMac(ns, "eth0", "02:42:ac:1e:00:02"),
                new LinkOp.SetMtu(ns, "eth0", 1400),
                new LinkOp.AddAddress(ns, "eth0", "172.30.0.2/16"),
                new LinkOp.SetUp(ns, "lo"),
                new LinkOp.SetDown(null, "berth0"),
                new LinkOp.AddRoute(ns, "default", "172.30.0.1", "eth0"),
                new LinkOp.DeleteLink(null, "veth1a2b3c4"),
                new LinkOp.CreateMacvlan("eth0", "btmv-p0", "bridge", ns, 1500),
                new LinkOp.SetSysctl(ns, "net.ipv6.conf.eth0.disable_ipv6", "0"),
                new LinkOp.AddAddress(ns, "eth0", "fd00:1::2/64"),
                new LinkOp.AddRoute(ns, "default", "fd00:1::1", "eth0"));
        String actual = ops.stream().map(op -> String.join(" ", IpLinkOps.argv(op))).collect(Collectors.joining("\n", "", "\n"));
        Path golden = Path.of("src/test/resources/golden/ip-link-ops.txt");
        if (Boolean.getBoolean("golden.update") || !Files.exists(golden)) {
            Files.writeString(golden, actual);
        }
        assertThat(actual).isEqualTo(Files.readString(golden));
    }

    @Test
    void ruleRendersLikeIptablesSave() {
        assertThat(Rule.insert("nat", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "BERTH").render())
                .isEqualTo("-t nat -I PREROUTING -m addrtype --dst-type LOCAL -j BERTH");
    }
}
