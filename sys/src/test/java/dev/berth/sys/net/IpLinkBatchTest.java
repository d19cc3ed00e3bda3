package dev.berth.sys.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a sandbox's link plan is grouped into {@code ip -batch} processes, against a golden file. */
class IpLinkBatchTest {
    @Test
    void sandboxPlanIsTwoBatchesPlusTheUnbatchableOnes() throws IOException {
        Path ns = Path.of("/run/berth/netns/0123456789ab");
        List<LinkOp> ops = List.of(
                new LinkOp.CreateVeth("veth1a2b3c4", "eth0", ns, 1500),
                new LinkOp.SetMaster("veth1a2b3c4", "berth0"),
                new LinkOp.SetHairpin("veth1a2b3c4", true),
                new LinkOp.SetUp(null, "veth1a2b3c4"),
                new LinkOp.SetMac(ns, "eth0", "02:42:ac:1e:00:02"),
                new LinkOp.AddAddress(ns, "eth0", "172.30.0.2/16"),
                new LinkOp.SetUp(ns, "eth0"),
                new LinkOp.SetUp(ns, "lo"),
                new LinkOp.AddRoute(ns, "default", "172.30.0.1", "eth0"),
                new LinkOp.SetSysctl(ns, "net.ipv6.conf.eth0.disable_ipv6", "0"),
                new LinkOp.AddAddress(ns, "eth0", "fd00:1::2/64"),
                new LinkOp.AddRoute(ns, "default", "fd00:1::1", "eth0"),
                new LinkOp.DeleteLink(null, "veth1a2b3c4"));
        // Group as IpLinkOps.applyAll does and render each process: argv, then its stdin.
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < ops.size()) {
            LinkOp op = ops.get(i);
            int j = i + 1;
            if (IpLinkOps.batchable(op)) {
                while (j < ops.size() && IpLinkOps.batchable(ops.get(j))
                        && java.util.Objects.equals(IpLinkOps.netnsOf(ops.get(j)), IpLinkOps.netnsOf(op))) {
                    j++;
                }
            }
            if (j - i > 1) {
                sb.append("$ ").append(String.join(" ", IpLinkOps.batchArgv(IpLinkOps.netnsOf(op)))).append('\n')
                        .append(IpLinkOps.batchInput(ops.subList(i, j)));
            } else {
                sb.append("$ ").append(String.join(" ", IpLinkOps.argv(op))).append('\n');
            }
            i = j;
        }
        String actual = sb.toString();
        Path golden = Path.of("src/test/resources/golden/ip-link-batches.txt");
        if (Boolean.getBoolean("golden.update") || !Files.exists(golden)) {
            Files.writeString(golden, actual);
        }
        assertThat(actual).isEqualTo(Files.readString(golden));
        assertThat(new ArrayList<>(List.of(actual.split("\n"))).stream().filter(l -> l.startsWith("$ ")).count()).isEqualTo(6);
    }

    @Test
    void wordsWithSpacesAreQuoted() {
        assertThat(IpLinkOps.batchInput(List.of(new LinkOp.CreateVeth("v1", "eth0", Path.of("/tmp/a b/ns"), 1500))))
                .isEqualTo("link add name v1 mtu 1500 type veth peer name eth0 mtu 1500 netns \"/tmp/a b/ns\"\n");
    }
}
