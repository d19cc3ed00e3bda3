package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.BerthException;
import dev.berth.network.NetworkService.NetworkSpec;
import dev.berth.network.NetworkService.SandboxRequest;
import dev.berth.sys.net.FakeNetKernel;
import dev.berth.sys.net.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dockerd's daemon-wide network options through {@link BridgeOptions}: --mtu, --fixed-cidr,
 * --default-address-pool, --icc, --ip-masq, --dns-search, --dns-opt, --host-gateway-ip. No root.
 */
class DaemonNetworkOptionsTest {
    @TempDir
    Path dir;
    FakeNetKernel fake;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 8.8.8.8\nsearch corp.example\n");
        fake = new FakeNetKernel();
    }

    private BridgeNetworkService service(BridgeOptions o) {
        BridgeNetworkService s = new BridgeNetworkService(dir.resolve("data"), dir.resolve("exec"), o, fake.kernel());
        s.start();
        return s;
    }

    private BridgeOptions options(int mtu, String fixedCidr, List<BridgeOptions.Pool> pools, boolean icc, boolean masq,
                                  List<String> search, List<String> opts, String hostGw) {
        return new BridgeOptions(null, null, null, null, mtu, dir.resolve("resolv.conf"), null, fixedCidr, pools, icc, masq, search, opts, hostGw);
    }

    static SandboxRequest req(String id, String network, List<String> search, List<String> opts, List<String> extraHosts) {
        return new SandboxRequest(id, "/c" + id.substring(0, 6), network, "h" + id.substring(0, 6), "", Map.of(), false, List.of(),
                Map.of(), List.of(), search, opts, extraHosts, null);
    }

    static String cid(int n) {
        return "def%03d".formatted(n) + "e".repeat(58);
    }

    /** The rules as lines, each line wrapped in '|' so that a check cannot match part of a longer rule. */
    private String rules() {
        return fake.rules().stream().map(r -> "|" + r.render().replaceFirst("^-t \\S+ -[AI] \\S+ ", "") + "|").sorted()
                .collect(Collectors.joining("\n"));
    }

    @Test
    void defaultsKeepDockerBehaviour() {
        var svc = service(BridgeOptions.defaults());
        var bridge = svc.network("bridge");
        assertThat(bridge.options()).containsEntry("com.docker.network.bridge.enable_icc", "true")
                .containsEntry("com.docker.network.bridge.enable_ip_masquerade", "true")
                .containsEntry("com.docker.network.driver.mtu", "1500");
        assertThat(rules()).contains("|-s 172.30.0.0/16 ! -o berth0 -j MASQUERADE|").contains("|-i berth0 -o berth0 -j ACCEPT|");
    }

    @Test
    void mtuAppliesToTheDefaultBridgeOnly() {
        var svc = service(options(1400, null, List.of(), true, true, List.of(), List.of(), null));
        assertThat(svc.network("bridge").options()).containsEntry("com.docker.network.driver.mtu", "1400");
        assertThat(fake.log()).anyMatch(op -> op.contains("CreateBridge") && op.contains("berth0") && op.contains("mtu=1400"));
        var n = svc.createNetwork(new NetworkSpec("user", "bridge", false, false, false, List.of(), Map.of(), Map.of()));
        String dev = "br-" + n.id().substring(0, 12);
        assertThat(fake.log()).anyMatch(op -> op.contains("CreateBridge") && op.contains(dev) && op.contains("mtu=1500"));
        // containers on the default bridge get veths of that MTU
        svc.createSandbox(req(cid(9), "bridge", List.of(), List.of(), List.of()));
        assertThat(fake.log()).anyMatch(op -> op.contains("CreateVeth") && op.contains("mtu=1400"));
    }

    @Test
    void iccFalseDropsBridgeToBridgeAndIpMasqFalseDropsMasquerade() {
        service(options(0, null, List.of(), false, false, List.of(), List.of(), null));
        String r = rules();
        assertThat(r).contains("|-i berth0 -o berth0 -j DROP|").doesNotContain("|-i berth0 -o berth0 -j ACCEPT|");
        assertThat(r).doesNotContain("-s 172.30.0.0/16 ! -o berth0 -j MASQUERADE");
    }

    @Test
    void changedIccAcrossRestartsLeavesNoStaleAcceptRule() {
        service(BridgeOptions.defaults());
        assertThat(rules()).contains("|-i berth0 -o berth0 -j ACCEPT|");
        service(options(0, null, List.of(), false, true, List.of(), List.of(), null));
        assertThat(rules()).contains("|-i berth0 -o berth0 -j DROP|").doesNotContain("|-i berth0 -o berth0 -j ACCEPT|");
        service(BridgeOptions.defaults());
        assertThat(rules()).contains("|-i berth0 -o berth0 -j ACCEPT|").doesNotContain("|-i berth0 -o berth0 -j DROP|");
    }

    @Test
    void fixedCidrLimitsDefaultBridgeAllocation() {
        var svc = service(options(0, "172.30.5.0/24", List.of(), true, true, List.of(), List.of(), null));
        var s = svc.createSandbox(req(cid(1), "bridge", List.of(), List.of(), List.of()));
        // as libnetwork, the range's first address is usable (it is not the subnet's network address)
        assertThat(s.endpoints().get("bridge").ipv4Address()).startsWith("172.30.5.");
        assertThat(svc.network("bridge").ipam()).extracting(NetworkService.IpamPool::ipRange).containsExactly("172.30.5.0/24");
        // without it on the next run, allocation uses the whole subnet again (the gateway 172.30.0.1 is taken)
        svc.removeSandbox(cid(1));
        var again = service(BridgeOptions.defaults());
        var s2 = again.createSandbox(req(cid(2), "bridge", List.of(), List.of(), List.of()));
        assertThat(s2.endpoints().get("bridge").ipv4Address()).startsWith("172.30.");
        assertThat(again.network("bridge").ipam()).extracting(NetworkService.IpamPool::ipRange).containsOnlyNulls();
    }

    @Test
    void fixedCidrOutsideAnExplicitBipIsRefused() {
        assertThatThrownBy(() -> new BridgeOptions(null, "172.30.0.1/16", null, null, 0, null, null, "10.9.0.0/24", List.of(), true, true,
                List.of(), List.of(), null))
                .isInstanceOf(BerthException.class).hasMessageContaining("fixed-cidr 10.9.0.0/24 is not inside the default bridge's subnet 172.30.0.0/16");
    }

    @Test
    void withoutBipAFixedCidrElsewhereIsTheBridgeSubnet() {
        // dockerd: without --bip the fixed-cidr is the bridge's preferred pool
        var o = options(0, "10.9.0.0/24", List.of(), true, true, List.of(), List.of(), null);
        assertThat(o.bridgeCidr()).isEqualTo("10.9.0.1/24");
        var svc = service(o);
        assertThat(svc.network("bridge").ipam()).extracting(NetworkService.IpamPool::subnet).containsExactly("10.9.0.0/24");
        assertThat(options(0, "172.30.7.0/24", List.of(), true, true, List.of(), List.of(), null).bridgeCidr()).isEqualTo("172.30.0.1/16");
    }

    @Test
    void poolBridgeSkipsSubnetsOtherNetworksAlreadyUse() {
        // a user network made while the bridge was elsewhere holds the pool's first subnet
        var first = service(options(0, null, List.of(), true, true, List.of(), List.of(), null));
        first.createNetwork(new NetworkSpec("early", "bridge", false, false, false,
                List.of(new NetworkService.IpamPool("10.126.0.0/24", null, null)), Map.of(), Map.of()));
        var svc = service(options(0, null, List.of(new BridgeOptions.Pool("10.126.0.0/16", 24)), true, true, List.of(), List.of(), null));
        assertThat(svc.network("bridge").ipam()).extracting(NetworkService.IpamPool::subnet).containsExactly("10.126.1.0/24");
        // host-gateway follows the chosen bridge
        var s = svc.createSandbox(req(cid(7), "bridge", List.of(), List.of(), List.of("gw:host-gateway")));
        assertThat(s.hostsFile()).contains("10.126.1.1\tgw");
        assertThat(s.endpoints().get("bridge").ipv4Address()).isEqualTo("10.126.1.2");
        // on the next start it keeps its subnet
        var again = service(options(0, null, List.of(new BridgeOptions.Pool("10.126.0.0/16", 24)), true, true, List.of(), List.of(), null));
        assertThat(again.network("bridge").ipam()).extracting(NetworkService.IpamPool::subnet).containsExactly("10.126.1.0/24");
    }

    @Test
    void userNetworksWithoutSubnetTakeThemFromThePools() {
        var svc = service(options(0, null, List.of(new BridgeOptions.Pool("10.123.0.0/16", 24), new BridgeOptions.Pool("10.200.0.0/23", 24)),
                true, true, List.of(), List.of(), null));
        var a = svc.createNetwork(new NetworkSpec("a", "bridge", false, false, false, List.of(), Map.of(), Map.of()));
        var b = svc.createNetwork(new NetworkSpec("b", "bridge", false, false, false, List.of(), Map.of(), Map.of()));
        // 10.123.0.0/24 is the default bridge's (no --bip)
        assertThat(a.ipam()).extracting(NetworkService.IpamPool::subnet).containsExactly("10.123.1.0/24");
        assertThat(b.ipam()).extracting(NetworkService.IpamPool::subnet).containsExactly("10.123.2.0/24");
        // an explicit subnet is still the user's
        var c = svc.createNetwork(new NetworkSpec("c", "bridge", false, false, false,
                List.of(new NetworkService.IpamPool("192.168.77.0/24", null, null)), Map.of(), Map.of()));
        assertThat(c.ipam()).extracting(NetworkService.IpamPool::subnet).containsExactly("192.168.77.0/24");
    }

    @Test
    void withoutBipTheDefaultBridgeTakesThePoolsFirstSubnet() {
        var svc = service(options(0, null, List.of(new BridgeOptions.Pool("10.125.0.0/16", 24)), true, true, List.of(), List.of(), null));
        assertThat(svc.network("bridge").ipam()).extracting(NetworkService.IpamPool::subnet, NetworkService.IpamPool::gateway)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("10.125.0.0/24", "10.125.0.1"));
        var n = svc.createNetwork(new NetworkSpec("next", "bridge", false, false, false, List.of(), Map.of(), Map.of()));
        assertThat(n.ipam()).extracting(NetworkService.IpamPool::subnet).containsExactly("10.125.1.0/24");
        // an explicit --bip still wins
        var bip = new BridgeOptions(null, "192.168.250.1/24", null, null, 0, null, null, null,
                List.of(new BridgeOptions.Pool("10.125.0.0/16", 24)), true, true, List.of(), List.of(), null);
        assertThat(bip.bridgeCidr()).isEqualTo("192.168.250.1/24");
    }

    @Test
    void exhaustedPoolsFailLikeDockerd() {
        // the default bridge takes the first /24, the two networks the rest
        var svc = service(options(0, null, List.of(new BridgeOptions.Pool("10.124.0.0/22", 24)), true, true, List.of(), List.of(), null));
        svc.createNetwork(new NetworkSpec("a", "bridge", false, false, false, List.of(), Map.of(), Map.of()));
        svc.createNetwork(new NetworkSpec("b", "bridge", false, false, false, List.of(), Map.of(), Map.of()));
        svc.createNetwork(new NetworkSpec("b2", "bridge", false, false, false, List.of(), Map.of(), Map.of()));
        assertThatThrownBy(() -> svc.createNetwork(new NetworkSpec("c", "bridge", false, false, false, List.of(), Map.of(), Map.of())))
                .hasMessage("all predefined address pools have been fully subnetted");
    }

    @Test
    void poolSizeMustNotBeLargerThanItsBase() {
        assertThatThrownBy(() -> new BridgeOptions.Pool("10.0.0.0/16", 8)).hasMessage("invalid pools size: 8");
    }

    @Test
    void candidatesAreEnumeratedLazilyInOrder() {
        var it = BridgeNetworks.candidates(List.of(new BridgeOptions.Pool("10.0.0.0/8", 24))).iterator();
        assertThat(it.next().subnet()).isEqualTo("10.0.0.0/24");
        assertThat(it.next().subnet()).isEqualTo("10.0.1.0/24");
    }

    @Test
    void dnsSearchAndOptionsAreDefaultsForContainersWithoutTheirOwn() {
        var svc = service(options(0, null, List.of(), true, true, List.of("svc.example"), List.of("ndots:2"), null));
        var plain = svc.createSandbox(req(cid(3), "bridge", List.of(), List.of(), List.of()));
        assertThat(plain.resolvConf()).contains("search svc.example").contains("options ndots:2").doesNotContain("corp.example");
        var own = svc.createSandbox(req(cid(4), "bridge", List.of("mine.example"), List.of(), List.of()));
        assertThat(own.resolvConf()).contains("search mine.example").doesNotContain("svc.example").contains("options ndots:2");
    }

    @Test
    void hostGatewayIpOverridesTheBridgeGateway() {
        var svc = service(options(0, null, List.of(), true, true, List.of(), List.of(), "192.0.2.10"));
        var s = svc.createSandbox(req(cid(5), "bridge", List.of(), List.of(), List.of("gw:host-gateway")));
        assertThat(s.hostsFile()).contains("192.0.2.10\tgw");
        var dflt = service(BridgeOptions.defaults());
        var s2 = dflt.createSandbox(req(cid(6), "bridge", List.of(), List.of(), List.of("gw:host-gateway")));
        assertThat(s2.hostsFile()).contains("172.30.0.1\tgw");
    }

    @Test
    void defaultBridgePlanWithIccAndMasqueradeOffIsGolden() {
        service(options(1450, "172.30.8.0/22", List.of(), false, false, List.of(), List.of(), null));
        String plan = fake.rules().stream().map(Rule::render).sorted().collect(Collectors.joining("\n", "# rules (sorted)\n", "\n"))
                + fake.log().stream().filter(op -> op.contains("berth0")).collect(Collectors.joining("\n", "# link ops\n", "\n"));
        Golden.assertMatches("default-bridge-daemon-options.txt", plan);
    }
}
