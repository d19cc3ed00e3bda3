package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.network.NetworkService.NetworkSpec;
import dev.berth.network.NetworkService.PortBindingRequest;
import dev.berth.network.NetworkService.Sandbox;
import dev.berth.network.NetworkService.SandboxRequest;
import dev.berth.sys.net.FakeNetKernel;
import dev.berth.sys.net.LinkInfo;
import dev.berth.sys.net.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service against an in-memory kernel: state, IPAM, ports, files and cleanup, no root. */
class BridgeNetworkServiceTest {
    @TempDir
    Path dir;
    FakeNetKernel fake;
    BridgeNetworkService svc;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.53\nsearch corp.example\n");
        fake = new FakeNetKernel();
        svc = newService();
        svc.start();
    }

    private BridgeNetworkService newService() {
        return new BridgeNetworkService(dir.resolve("data"), dir.resolve("exec"), null, null, null, dir.resolve("resolv.conf"), fake.kernel());
    }

    static String cid(int n) {
        return "abc%03d".formatted(n) + "f".repeat(58);
    }

    static SandboxRequest bridge(String id, Map<String, List<PortBindingRequest>> ports, boolean publishAll, List<String> exposed) {
        return new SandboxRequest(id, "/c" + id.substring(0, 6), "bridge", "host" + id.substring(0, 6), "", ports, publishAll, exposed,
                Map.of(), List.of(), List.of(), List.of(), List.of(), null);
    }

    @Test
    void startSetsUpBridgeChainsAndSysctls() {
        assertThat(fake.hostLinks()).extracting(LinkInfo::name).contains("berth0");
        assertThat(fake.chains()).contains("nat/BERTH", "nat/BERTH-POSTROUTING", "filter/BERTH-FORWARD");
        assertThat(fake.sysctls()).containsEntry("net.ipv4.ip_forward", "1").containsEntry("net.ipv4.conf.berth0.route_localnet", "1");
        assertThat(svc.networks()).extracting(NetworkService.NetworkInfo::name).containsExactlyInAnyOrder("bridge", "host", "none");
        var bridge = svc.network("bridge");
        assertThat(bridge.driver()).isEqualTo("bridge");
        assertThat(bridge.ipam().getFirst().subnet()).isEqualTo("172.30.0.0/16");
        assertThat(bridge.ipam().getFirst().gateway()).isEqualTo("172.30.0.1");
        assertThat(svc.network("none").driver()).isEqualTo("null");
        // Ids survive a restart.
        BridgeNetworkService again = newService();
        again.start();
        assertThat(again.network("bridge").id()).isEqualTo(bridge.id());
        assertThat(again.network(bridge.id().substring(0, 12)).name()).isEqualTo("bridge");
        assertThatThrownBy(() -> svc.network("nope")).isInstanceOf(BerthException.class).hasMessage("network nope not found");
    }

    @Test
    void bridgeSandboxWithPublishedPortsAndCleanRemoval() {
        Set<Rule> before = fake.rules();
        Sandbox s = svc.createSandbox(bridge(cid(1), Map.of("80/tcp", List.of(new PortBindingRequest("", "8080"))), true,
                List.of("80/tcp", "53/udp")));
        assertThat(s.netnsPath()).isEqualTo(dir.resolve("exec/netns").resolve(cid(1).substring(0, 12)).toString());
        var ep = s.endpoints().get("bridge");
        assertThat(ep.ipv4Address()).isEqualTo("172.30.0.2");
        assertThat(ep.ipv4PrefixLen()).isEqualTo(16);
        assertThat(ep.gateway()).isEqualTo("172.30.0.1");
        assertThat(ep.macAddress()).isEqualTo("02:42:ac:1e:00:02");
        assertThat(s.ports().get("80/tcp")).containsExactly(new PortBindingRequest("0.0.0.0", "8080"));
        int udp = Integer.parseInt(s.ports().get("53/udp").getFirst().hostPort());
        assertThat(udp).isBetween(32768, 60999);
        assertThat(s.hostsFile()).endsWith("172.30.0.2\thost" + cid(1).substring(0, 6) + "\n");
        assertThat(s.resolvConf()).isEqualTo("search corp.example\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n");
        assertThat(fake.rules()).anyMatch(r -> r.render().equals(
                "-t nat -A BERTH -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.30.0.2:80"));
        assertThat(fake.hostLinks()).anyMatch(l -> l.kind().equals("veth") && "berth0".equals(l.master()) && l.up());
        assertThat(svc.sandbox(cid(1))).contains(s);
        assertThat(svc.network("bridge").endpointsByContainer()).containsKey(cid(1));

        // The same host port cannot be handed out twice.
        assertThatThrownBy(() -> svc.createSandbox(bridge(cid(2), Map.of("81/tcp", List.of(new PortBindingRequest("127.0.0.1", "8080"))), false, List.of())))
                .isInstanceOf(BerthException.class).hasMessageContaining("port is already allocated")
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(ErrorKind.CONFLICT);

        svc.removeSandbox(cid(1));
        assertThat(fake.rules()).isEqualTo(before);
        assertThat(fake.namespaces()).isEmpty();
        assertThat(fake.hostLinks()).noneMatch(l -> l.kind().equals("veth"));
        assertThat(svc.sandbox(cid(1))).isEmpty();
        svc.removeSandbox(cid(1)); // absent is fine
    }

    @Test
    void ipsAreNeverHandedOutTwiceAlsoAfterRestart() {
        assertThat(svc.createSandbox(bridge(cid(1), null, false, null)).endpoints().get("bridge").ipv4Address()).isEqualTo("172.30.0.2");
        assertThat(svc.createSandbox(bridge(cid(2), null, false, null)).endpoints().get("bridge").ipv4Address()).isEqualTo("172.30.0.3");
        svc.removeSandbox(cid(1));
        BridgeNetworkService restarted = newService();
        restarted.start();
        assertThat(restarted.sandbox(cid(2))).isPresent();
        assertThat(restarted.createSandbox(bridge(cid(3), null, false, null)).endpoints().get("bridge").ipv4Address()).isEqualTo("172.30.0.4");
    }

    @Test
    void failedCreationLeavesNothing() {
        fake.kernel().netns().create(dir.resolve("exec/netns").resolve(cid(7).substring(0, 12)));
        assertThatThrownBy(() -> svc.createSandbox(bridge(cid(7), Map.of("80/tcp", List.of(new PortBindingRequest("", "9090"))), false, List.of())))
                .isInstanceOf(BerthException.class);
        assertThat(svc.sandbox(cid(7))).isEmpty();
        assertThat(fake.hostLinks()).noneMatch(l -> l.kind().equals("veth"));
        // Its address and port are free again.
        assertThat(svc.createSandbox(bridge(cid(8), Map.of("80/tcp", List.of(new PortBindingRequest("", "9090"))), false, List.of()))
                .endpoints().get("bridge").ipv4Address()).isEqualTo("172.30.0.3");
    }

    @Test
    void hostNoneAndContainerModes() {
        var host = svc.createSandbox(new SandboxRequest(cid(1), "/h", "host", "myhost", "", Map.of(), false, List.of(), Map.of(),
                List.of(), List.of(), List.of(), List.of("gw:host-gateway"), null));
        assertThat(host.netnsPath()).isNull();
        assertThat(host.resolvConf()).contains("nameserver 127.0.0.53");
        assertThat(host.hostsFile()).contains("172.30.0.1\tgw");
        assertThat(host.endpoints()).containsKey("host");

        var none = svc.createSandbox(new SandboxRequest(cid(2), "/n", "none", "nohost", "", Map.of(), false, List.of(), Map.of(),
                List.of("9.9.9.9"), List.of(), List.of(), List.of(), null));
        assertThat(none.netnsPath()).isNotNull();
        assertThat(fake.namespaces()).contains(none.netnsPath());
        assertThat(none.resolvConf()).contains("nameserver 9.9.9.9");
        assertThat(none.endpoints().get("none").ipv4Address()).isEmpty();

        var web = svc.createSandbox(bridge(cid(3), null, false, null));
        var joined = svc.createSandbox(new SandboxRequest(cid(4), "/j", "container:" + cid(3), "", "", Map.of(), false, List.of(), Map.of(),
                List.of(), List.of(), List.of(), List.of(), web.netnsPath()));
        assertThat(joined.netnsPath()).isEqualTo(web.netnsPath());
        assertThat(joined.hostsFile()).isEqualTo(web.hostsFile());
        svc.removeSandbox(cid(4));
        assertThat(fake.namespaces()).contains(web.netnsPath()); // not ours to delete
        for (int i = 1; i <= 3; i++) {
            svc.removeSandbox(cid(i));
        }
        assertThat(fake.namespaces()).isEmpty();
    }

    @Test
    void userDefinedBridgeNetworks() {
        var n = svc.createNetwork(new NetworkSpec("mynet", "bridge", false, false, false, List.of(), Map.of(), Map.of("a", "b")));
        assertThat(n.ipam().getFirst().subnet()).isEqualTo("172.31.0.0/16");
        assertThat(fake.hostLinks()).extracting(LinkInfo::name).contains("br-" + n.id().substring(0, 12));
        assertThatThrownBy(() -> svc.createNetwork(new NetworkSpec("mynet", "bridge", false, false, false, List.of(), Map.of(), Map.of())))
                .hasMessage("network with name mynet already exists");
        assertThatThrownBy(() -> svc.createNetwork(new NetworkSpec("clash", "bridge", false, false, false,
                List.of(new NetworkService.IpamPool("172.30.5.0/24", null, null)), Map.of(), Map.of())))
                .hasMessageContaining("overlaps");
        var s = svc.createSandbox(new SandboxRequest(cid(1), "/u", "mynet", "u", "", Map.of(), false, List.of(),
                Map.of("mynet", new NetworkService.EndpointRequest("172.31.0.50", null, List.of("alias"), null, Map.of())),
                List.of(), List.of(), List.of(), List.of(), null));
        assertThat(s.endpoints().get("mynet").ipv4Address()).isEqualTo("172.31.0.50");
        assertThatThrownBy(() -> svc.removeNetwork("mynet")).hasMessageContaining("has active endpoints");
        assertThatThrownBy(() -> svc.removeNetwork("bridge")).hasMessageContaining("pre-defined");
        svc.removeSandbox(cid(1));
        svc.removeNetwork("mynet");
        assertThat(fake.hostLinks()).extracting(LinkInfo::name).doesNotContain("br-" + n.id().substring(0, 12));
        assertThat(svc.networks()).hasSize(3);
    }

    @Test
    void uninstallLeavesNoRulesOrLinks() {
        svc.createSandbox(bridge(cid(1), Map.of("80/tcp", List.of(new PortBindingRequest("", ""))), false, List.of()));
        svc.uninstall();
        assertThat(fake.rules()).isEmpty();
        assertThat(fake.chains()).isEmpty();
        assertThat(fake.hostLinks()).extracting(LinkInfo::name).containsExactly("lo");
    }

    @Test
    void connectAndDisconnectMoveRouteAndPorts() {
        var net = svc.createNetwork(new NetworkSpec("other", "bridge", false, false, false, List.of(), Map.of(), Map.of()));
        svc.createSandbox(bridge(cid(1), Map.of("80/tcp", List.of(new PortBindingRequest("", "8080"))), false, List.of()));
        var ep = svc.connect(cid(1), "other", new NetworkService.EndpointRequest(null, null, List.of(), null, Map.of()));
        assertThat(ep.ipv4Address()).isEqualTo("172.31.0.2");
        assertThat(svc.sandbox(cid(1)).orElseThrow().endpoints()).containsOnlyKeys("bridge", "other");
        assertThatThrownBy(() -> svc.connect(cid(1), "other", null)).hasMessageContaining("already exists in network other");
        assertThat(svc.network(net.id()).endpointsByContainer()).containsKey(cid(1));

        svc.disconnect(cid(1), "bridge", false);
        // The published port now goes to the remaining interface.
        assertThat(fake.rules()).anyMatch(r -> r.render().equals(
                "-t nat -A BERTH -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.31.0.2:80"));
        assertThat(fake.rules()).noneMatch(r -> r.render().contains("172.30.0.2"));
        assertThat(fake.log()).anyMatch(l -> l.startsWith("AddRoute") && l.contains("gateway=172.31.0.1, device=eth1"));
        assertThatThrownBy(() -> svc.disconnect(cid(1), "bridge", false)).hasMessageContaining("is not connected to network bridge");
        svc.removeSandbox(cid(1));
        assertThat(fake.hostLinks()).noneMatch(l -> l.kind().equals("veth"));
        assertThat(fake.rules()).noneMatch(r -> r.render().contains("8080"));
    }

    @Test
    void createWithTwoNetworks() {
        svc.createNetwork(new NetworkSpec("two", "bridge", false, false, false,
                List.of(new NetworkService.IpamPool("10.99.0.0/24", null, null)), Map.of(), Map.of()));
        var s = svc.createSandbox(new SandboxRequest(cid(1), "/m", "bridge", "m", "", Map.of(), false, List.of(),
                Map.of("bridge", new NetworkService.EndpointRequest(null, null, List.of(), null, Map.of()),
                        "two", new NetworkService.EndpointRequest("10.99.0.9", null, List.of(), null, Map.of())),
                List.of(), List.of(), List.of(), List.of(), null));
        assertThat(s.endpoints().get("bridge").ipv4Address()).isEqualTo("172.30.0.2");
        assertThat(s.endpoints().get("two").ipv4Address()).isEqualTo("10.99.0.9");
        assertThat(s.endpoints().get("two").gateway()).isEqualTo("10.99.0.1");
    }

    @Test
    void ipRangeLimitsAutomaticAllocation() {
        svc.createNetwork(new NetworkSpec("ranged", "bridge", false, false, false,
                List.of(new NetworkService.IpamPool("10.98.0.0/24", "10.98.0.128/30", "10.98.0.1")), Map.of(), Map.of()));
        List<String> ips = new java.util.ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            ips.add(svc.createSandbox(new SandboxRequest(cid(i), "/r", "ranged", "r", "", Map.of(), false, List.of(), Map.of(),
                    List.of(), List.of(), List.of(), List.of(), null)).endpoints().get("ranged").ipv4Address());
        }
        assertThat(ips).containsExactly("10.98.0.128", "10.98.0.129", "10.98.0.130", "10.98.0.131");
        assertThatThrownBy(() -> svc.createSandbox(new SandboxRequest(cid(5), "/r", "ranged", "r", "", Map.of(), false, List.of(), Map.of(),
                List.of(), List.of(), List.of(), List.of(), null))).hasMessageContaining("no available IPv4 addresses");
    }
}
