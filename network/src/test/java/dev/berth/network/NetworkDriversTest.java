package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.network.NetworkService.EndpointRequest;
import dev.berth.network.NetworkService.IpamPool;
import dev.berth.network.NetworkService.NetworkSpec;
import dev.berth.network.NetworkService.PortBindingRequest;
import dev.berth.network.NetworkService.SandboxRequest;
import dev.berth.sys.net.FakeNetKernel;
import dev.berth.sys.net.LinkOp;
import dev.berth.sys.net.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drivers (macvlan, bridge options), IPv6, internal networks and bad input, against the in-memory kernel. */
class NetworkDriversTest {
    @TempDir
    Path dir;
    FakeNetKernel fake;
    BridgeNetworkService svc;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 10.0.0.1\n");
        fake = new FakeNetKernel();
        svc = newService();
        svc.start();
    }

    BridgeNetworkService newService() {
        return new BridgeNetworkService(dir.resolve("d"), dir.resolve("e"), null, null, null, dir.resolve("resolv.conf"), fake.kernel());
    }

    static String cid(int i) {
        return "dd%04d".formatted(i) + "0".repeat(58);
    }

    static SandboxRequest on(String id, String net, Map<String, List<PortBindingRequest>> ports, EndpointRequest ep) {
        return new SandboxRequest(id, "/c" + id.substring(0, 6), net, "h", "", ports, false, List.of(),
                ep == null ? Map.of() : Map.of(net, ep), List.of(), List.of(), List.of(), List.of(), null);
    }

    @Test
    void ipv6NetworkGivesAddressesRoutesAndPublishesOnBothFamilies() {
        var n = svc.createNetwork(new NetworkSpec("v6", "bridge", false, false, true,
                List.of(new IpamPool("10.50.0.0/24", null, null), new IpamPool("fd00:50::/64", null, null)), Map.of(), Map.of()));
        assertThat(n.ipam()).extracting(IpamPool::subnet).containsExactly("10.50.0.0/24", "fd00:50::/64");
        var s = svc.createSandbox(on(cid(1), "v6", Map.of("80/tcp", List.of(new PortBindingRequest("", "8080"))), null));
        var ep = s.endpoints().get("v6");
        assertThat(ep.ipv6Address()).isEqualTo("fd00:50::2");
        assertThat(ep.ipv6PrefixLen()).isEqualTo(64);
        assertThat(ep.ipv6Gateway()).isEqualTo("fd00:50::1");
        assertThat(s.ports().get("80/tcp")).containsExactly(new PortBindingRequest("0.0.0.0", "8080"), new PortBindingRequest("::", "8080"));
        assertThat(fake.log()).contains(new LinkOp.AddAddress(Path.of(s.netnsPath()), "eth0", "fd00:50::2/64").toString(),
                new LinkOp.AddRoute(Path.of(s.netnsPath()), "default", "fd00:50::1", "eth0").toString());
        assertThat(fake.rules6()).extracting(Rule::render)
                .anyMatch(r -> r.contains("--to-destination [fd00:50::2]:80"))
                .anyMatch(r -> r.contains("-s fd00:50::/64 ! -o br-") && r.contains("MASQUERADE"));
        // --ip6 on a user-defined network, outside the subnet refused.
        var s2 = svc.createSandbox(on(cid(2), "v6", Map.of(), new EndpointRequest(null, "fd00:50::99", List.of(), null, Map.of())));
        assertThat(s2.endpoints().get("v6").ipv6Address()).isEqualTo("fd00:50::99");
        assertThatThrownBy(() -> svc.createSandbox(on(cid(3), "v6", Map.of(), new EndpointRequest(null, "fd00:51::9", List.of(), null, Map.of()))))
                .hasMessageContaining("no configured subnet or ip-range contain the IP address fd00:51::9");
        svc.removeSandbox(cid(1));
        assertThat(fake.rules6()).extracting(Rule::render).noneMatch(r -> r.contains("DNAT"));
        // Never twice, also after a restart: the released ::2 is not handed out again at once.
        var again = newService();
        again.start();
        var s4 = again.createSandbox(on(cid(4), "v6", Map.of(), null));
        assertThat(s4.endpoints().get("v6").ipv6Address()).isNotIn("fd00:50::2", "fd00:50::99");
        // --ipv6 without a subnet gets a unique-local /64.
        var ula = again.createNetwork(new NetworkSpec("v6b", "bridge", false, false, true, List.of(), Map.of(), Map.of()));
        assertThat(ula.ipam().get(1).subnet()).startsWith("fd").endsWith("::/64");
    }

    @Test
    void macvlanEndpointsAreCreatedOnTheParentInsideTheNamespace() {
        fake.addHostLink("btmv-p0", "veth");
        svc.createNetwork(new NetworkSpec("mv", "macvlan", false, false, false, List.of(new IpamPool("192.168.77.0/24", null, "192.168.77.254")),
                Map.of("parent", "btmv-p0"), Map.of()));
        var s = svc.createSandbox(on(cid(1), "mv", Map.of("80/tcp", List.of(new PortBindingRequest("", "8080"))), null));
        Path ns = Path.of(s.netnsPath());
        assertThat(fake.log()).contains(new LinkOp.CreateMacvlan("eth0", "btmv-p0", "bridge", ns, 1500).toString(),
                new LinkOp.AddRoute(ns, "default", "192.168.77.254", "eth0").toString());
        assertThat(s.endpoints().get("mv").ipv4Address()).isEqualTo("192.168.77.1");
        assertThat(s.ports()).isEmpty(); // macvlan publishes nothing, as Docker
        assertThat(s.resolvConf()).contains("nameserver 127.0.0.11");
        assertThat(fake.rules()).extracting(Rule::render).noneMatch(r -> r.contains("DNAT"));
        assertThatThrownBy(() -> svc.createNetwork(new NetworkSpec("mv2", "macvlan", false, false, false, List.of(),
                Map.of("parent", "btmv-p0"), Map.of()))).hasMessage("network mv is already using parent interface btmv-p0");
        svc.removeSandbox(cid(1));
        assertThat(fake.namespaces()).isEmpty();
        svc.removeNetwork("mv");
        assertThat(fake.hostLinks()).extracting(l -> l.name()).contains("btmv-p0");
    }

    @Test
    void internalNetworksHaveNoDefaultRouteAndIccCanBeOff() {
        svc.createNetwork(new NetworkSpec("int", "bridge", true, false, false, List.of(), Map.of(), Map.of()));
        var s = svc.createSandbox(on(cid(1), "int", Map.of(), null));
        assertThat(s.endpoints().get("int").gateway()).isEmpty();
        assertThat(fake.log()).noneMatch(l -> l.startsWith("AddRoute[netns=" + s.netnsPath()));
        var n = svc.createNetwork(new NetworkSpec("noicc", "bridge", false, false, false, List.of(),
                Map.of("com.docker.network.bridge.enable_icc", "false", "com.docker.network.bridge.name", "btnoicc", "com.docker.network.driver.mtu", "1400"), Map.of()));
        assertThat(fake.rules()).contains(Rule.append("filter", "BERTH-FORWARD", "-i", "btnoicc", "-o", "btnoicc", "-j", "DROP"));
        assertThat(fake.log()).contains(new LinkOp.CreateBridge("btnoicc", 1400).toString());
        assertThat(n.options()).containsEntry("com.docker.network.bridge.enable_icc", "false");
    }

    @Test
    void badInputGetsDockersErrorsAndChangesNothing() {
        String before = svc.networks().stream().map(NetworkService.NetworkInfo::name).sorted().collect(Collectors.joining(","));
        var rulesBefore = fake.rules();
        assertKind(() -> svc.createNetwork(spec("a", "foo", List.of())), ErrorKind.NOT_FOUND, "plugin \"foo\" not found");
        assertKind(() -> svc.createNetwork(spec("a", "ipvlan", List.of())), ErrorKind.NOT_IMPLEMENTED, "no ipvlan link type");
        assertKind(() -> svc.createNetwork(spec("a", "bridge", List.of(new IpamPool("10.1.300.0/24", null, null)))),
                ErrorKind.INVALID_ARGUMENT, "invalid CIDR address: 10.1.300.0/24");
        assertKind(() -> svc.createNetwork(spec("a", "bridge", List.of(new IpamPool("10.1.0.0/24", null, "10.2.0.1")))),
                ErrorKind.INVALID_ARGUMENT, "gateway 10.2.0.1");
        assertKind(() -> svc.createNetwork(spec("a", "bridge", List.of(new IpamPool("172.30.9.0/24", null, null)))),
                ErrorKind.FORBIDDEN, "Pool overlaps with other one on this address space");
        assertKind(() -> svc.createNetwork(spec("a", "bridge", List.of(new IpamPool("fd00::/64", null, null)))),
                ErrorKind.INVALID_ARGUMENT, "needs --ipv6");
        assertKind(() -> svc.createNetwork(spec("a", "macvlan", List.of())), ErrorKind.INVALID_ARGUMENT, "-o parent");
        assertKind(() -> svc.createNetwork(spec("bridge", "bridge", List.of())), ErrorKind.CONFLICT, "already exists");
        svc.createNetwork(spec("used", "bridge", List.of(new IpamPool("10.9.0.0/24", null, null))));
        svc.createSandbox(on(cid(1), "used", Map.of(), null));
        assertKind(() -> svc.createSandbox(on(cid(2), "used", Map.of(), new EndpointRequest("10.8.0.5", null, List.of(), null, Map.of()))),
                ErrorKind.INVALID_ARGUMENT, "no configured subnet or ip-range contain the IP address 10.8.0.5");
        assertKind(() -> svc.removeNetwork("used"), ErrorKind.FORBIDDEN,
                "error while removing network: network used has active endpoints (name:\"cdd0001\" id:\"dd0001000000\")");
        svc.removeSandbox(cid(1));
        svc.removeNetwork("used");
        assertThat(svc.networks().stream().map(NetworkService.NetworkInfo::name).sorted().collect(Collectors.joining(","))).isEqualTo(before);
        assertThat(fake.rules()).isEqualTo(rulesBefore);
    }

    static NetworkSpec spec(String name, String driver, List<IpamPool> pools) {
        return new NetworkSpec(name, driver, false, false, false, pools, Map.of(), Map.of());
    }

    static void assertKind(org.assertj.core.api.ThrowableAssert.ThrowingCallable c, ErrorKind kind, String message) {
        assertThatThrownBy(c).isInstanceOf(BerthException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((BerthException) e).kind()).isEqualTo(kind));
    }
}
