package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.network.NetworkService.EndpointRequest;
import dev.berth.network.NetworkService.IpamPool;
import dev.berth.network.NetworkService.NetworkSpec;
import dev.berth.network.NetworkService.PortBindingRequest;
import dev.berth.network.NetworkService.Sandbox;
import dev.berth.network.NetworkService.SandboxRequest;
import dev.berth.sys.net.NetKernel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kernel (needs root): embedded DNS (names, shared aliases, PTR, TCP, connect),
 * internal networks, enable_icc, IPv6 with published ports, macvlan on a test veth, and 20
 * create/run/remove cycles. Own names only: bridges {@code btn2-*}, chains {@code BTN2*}, veth
 * {@code btmv-p0/p1}, subnets 10.232.0.0/16 and fd00:b7e2::/48. Traffic goes only to the
 * namespaces it creates and to addresses on its own bridges.
 */
class NetworkFeaturesIT {
    @TempDir
    Path dir;
    BridgeNetworkService svc;
    final List<Process> servers = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.53\n");
        svc = new BridgeNetworkService(dir.resolve("data"), dir.resolve("exec"),
                new BridgeOptions("btn2-0", "10.232.0.1/24", "0.0.0.0", "BTN2", 1500, dir.resolve("resolv.conf"), null),
                NetKernel.linux());
        svc.start();
    }

    @AfterEach
    void cleanup() throws Exception {
        servers.forEach(Process::destroyForcibly);
        if (svc != null) {
            svc.uninstall();
            for (var n : svc.networks()) {
                if (!List.of("bridge", "host", "none").contains(n.name())) {
                    svc.removeNetwork(n.id());
                }
            }
        }
        run("ip", "link", "del", "btmv-p0");
    }

    static String cid(int i) {
        return "b7e2%04d".formatted(i) + "0".repeat(56);
    }

    static SandboxRequest on(String id, String name, String net, List<String> aliases, Map<String, List<PortBindingRequest>> ports) {
        return new SandboxRequest(id, "/" + name, net, name, "", ports, false, List.of(),
                Map.of(net, new EndpointRequest(null, null, aliases, null, Map.of())), List.of(), List.of(), List.of(), List.of(), null);
    }

    @Test
    void embeddedDnsIpv6InternalIccAndPorts() throws Exception {
        var app = svc.createNetwork(new NetworkSpec("btn2-app", "bridge", false, false, true,
                List.of(new IpamPool("10.232.1.0/24", null, null), new IpamPool("fd00:b7e2:1::/64", null, null)),
                Map.of("com.docker.network.bridge.name", "btn2-app"), Map.of()));
        Sandbox a = svc.createSandbox(on(cid(1), "web", "btn2-app", List.of("svc"), Map.of()));
        Sandbox b = svc.createSandbox(on(cid(2), "web2", "btn2-app", List.of("svc"),
                Map.of("80/tcp", List.of(new PortBindingRequest("", "")))));
        Sandbox c = svc.createSandbox(new SandboxRequest(cid(3), "/plain", "bridge", "plain", "", Map.of(), false, List.of(), Map.of(),
                List.of(), List.of(), List.of(), List.of(), null));
        String nsA = a.netnsPath();
        String nsB = b.netnsPath();
        String nsC = c.netnsPath();

        // Names, shared aliases (all addresses), reverse lookups; the default bridge has no server.
        assertThat(ns(nsA, "busybox", "nslookup", "web2", "127.0.0.11")).contains("10.232.1.3");
        assertThat(ns(nsA, "busybox", "nslookup", "svc", "127.0.0.11")).contains("10.232.1.2", "10.232.1.3");
        assertThat(ns(nsA, "busybox", "nslookup", "web2.btn2-app", "127.0.0.11")).contains("10.232.1.3");
        assertThat(ns(nsA, "busybox", "nslookup", "10.232.1.3", "127.0.0.11")).contains("web2.btn2-app");
        assertThat(ns(nsA, "busybox", "nslookup", "-type=AAAA", "web2", "127.0.0.11")).contains("fd00:b7e2:1::3");
        assertThat(a.endpoints().get("btn2-app").dnsNames()).containsExactly("web", "svc", Ids12.of(cid(1)));
        assertThat(ns(nsC, "busybox", "nslookup", "web", "127.0.0.11")).doesNotContain("10.232.1.2");
        // DNS over TCP.
        assertThat(tcpQuery(nsA, "web2")).contains((byte) 10, (byte) 232, (byte) 1, (byte) 3);

        // IPv6: addresses, default route, reachability, published port on [::] (through the bridge's own address).
        assertThat(ns(nsA, "ip", "-6", "addr")).contains("fd00:b7e2:1::2/64");
        assertThat(ns(nsA, "ip", "-6", "route")).contains("default via fd00:b7e2:1::1 dev eth0");
        assertThat(ns(nsA, "busybox", "ping", "-6", "-c", "1", "-W", "2", "fd00:b7e2:1::3")).contains("1 packets received");
        assertThat(b.ports().get("80/tcp")).extracting(PortBindingRequest::hostIp).containsExactly("0.0.0.0", "::");
        int port = Integer.parseInt(b.ports().get("80/tcp").getFirst().hostPort());
        startHttpd(nsB, "hello btn2");
        assertThat(httpGet("fd00:b7e2:1::1", port)).contains("hello btn2");
        assertThat(httpGet("10.232.1.1", port)).contains("hello btn2");
        // Container to container by address, and hairpin through the published port.
        assertThat(ns(nsA, "busybox", "wget", "-q", "-O", "-", "http://10.232.1.3/")).contains("hello btn2");
        assertThat(ns(nsA, "busybox", "wget", "-q", "-O", "-", "http://10.232.1.1:" + port + "/")).contains("hello btn2");

        // connect: the default-bridge container joins, gets eth1 and the embedded DNS; disconnect removes eth1.
        svc.connect(cid(3), "btn2-app", new EndpointRequest("10.232.1.77", null, List.of(), null, Map.of()));
        assertThat(ns(nsC, "ip", "-o", "-4", "addr")).contains("eth1", "10.232.1.77/24");
        assertThat(ns(nsC, "busybox", "nslookup", "web", "127.0.0.11")).contains("10.232.1.2");
        assertThat(svc.sandbox(cid(3)).orElseThrow().resolvConf()).contains("nameserver 127.0.0.11");
        svc.disconnect(cid(3), "btn2-app", false);
        assertThat(ns(nsC, "ip", "-o", "link")).doesNotContain("eth1");

        // Internal: no default route, no way out; enable_icc=false: no container-to-container traffic.
        svc.createNetwork(new NetworkSpec("btn2-int", "bridge", true, false, false, List.of(new IpamPool("10.232.2.0/24", null, null)),
                Map.of("com.docker.network.bridge.name", "btn2-int"), Map.of()));
        Sandbox d = svc.createSandbox(on(cid(4), "int", "btn2-int", List.of(), Map.of()));
        assertThat(ns(d.netnsPath(), "ip", "route")).doesNotContain("default").contains("10.232.2.0/24");
        svc.createNetwork(new NetworkSpec("btn2-noicc", "bridge", false, false, false, List.of(new IpamPool("10.232.3.0/24", null, null)),
                Map.of("com.docker.network.bridge.name", "btn2-noicc", "com.docker.network.bridge.enable_icc", "false"), Map.of()));
        Sandbox e1 = svc.createSandbox(on(cid(5), "i1", "btn2-noicc", List.of(), Map.of()));
        svc.createSandbox(on(cid(6), "i2", "btn2-noicc", List.of(), Map.of()));
        assertThat(ns(e1.netnsPath(), "busybox", "ping", "-c", "1", "-W", "1", "10.232.3.1")).contains("1 packets received");
        if ("1".equals(Files.readString(Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables")).strip())) {
            assertThat(ns(e1.netnsPath(), "busybox", "ping", "-c", "1", "-W", "1", "10.232.3.3")).contains("0 packets received");
        }

        // Bad input changes nothing.
        assertThatThrownBy(() -> svc.removeNetwork("btn2-app")).hasMessageContaining("has active endpoints");
        assertThatThrownBy(() -> svc.createNetwork(new NetworkSpec("btn2-x", "bridge", false, false, false,
                List.of(new IpamPool("10.232.1.128/25", null, null)), Map.of(), Map.of()))).hasMessageContaining("overlaps");
        assertThat(svc.networks()).extracting(NetworkService.NetworkInfo::name).doesNotContain("btn2-x");
        assertThat(app.enableIpv6()).isTrue();
    }

    @Test
    void macvlanOnVethParent() throws Exception {
        run("ip", "link", "add", "btmv-p0", "type", "veth", "peer", "name", "btmv-p1");
        run("ip", "link", "set", "btmv-p0", "up");
        run("ip", "link", "set", "btmv-p1", "up");
        svc.createNetwork(new NetworkSpec("btn2-mv", "macvlan", false, false, false, List.of(new IpamPool("10.232.9.0/24", null, null)),
                Map.of("parent", "btmv-p0"), Map.of()));
        Sandbox m1 = svc.createSandbox(on(cid(11), "mv1", "btn2-mv", List.of(), Map.of()));
        Sandbox m2 = svc.createSandbox(on(cid(12), "mv2", "btn2-mv", List.of(), Map.of()));
        assertThat(ns(m1.netnsPath(), "ip", "-d", "-o", "link", "show", "eth0")).contains("macvlan", "mode bridge");
        assertThat(ns(m1.netnsPath(), "ip", "-o", "-4", "addr")).contains("10.232.9.2/24");
        assertThat(ns(m2.netnsPath(), "ip", "-o", "-4", "addr")).contains("10.232.9.3/24");
        assertThat(ns(m1.netnsPath(), "busybox", "ping", "-c", "1", "-W", "2", "10.232.9.3")).contains("1 packets received");
        assertThat(ns(m1.netnsPath(), "busybox", "nslookup", "mv2", "127.0.0.11")).contains("10.232.9.3");
        assertThatThrownBy(() -> svc.createNetwork(new NetworkSpec("btn2-mv2", "macvlan", false, false, false, List.of(),
                Map.of("parent", "btn2-nope"), Map.of()))).hasMessage("-o parent interface was not found on the host: btn2-nope");
        assertThatThrownBy(() -> svc.createNetwork(new NetworkSpec("btn2-iv", "ipvlan", false, false, false, List.of(),
                Map.of("parent", "btmv-p0"), Map.of()))).hasMessageContaining("no ipvlan");
        svc.removeSandbox(cid(11));
        svc.removeSandbox(cid(12));
        svc.removeNetwork("btn2-mv");
        assertThat(run("ip", "-o", "link")).contains("btmv-p0").doesNotContain("macvlan");
    }

    @Test
    void twentyCyclesLeaveTheKernelAsItWas() throws Exception {
        String links = ownLinks();
        String rules = ownRules();
        for (int i = 0; i < 20; i++) {
            var n = svc.createNetwork(new NetworkSpec("btn2-cyc", "bridge", false, false, i % 2 == 0,
                    List.of(new IpamPool("10.232.20.0/24", null, null)), Map.of("com.docker.network.bridge.name", "btn2-cyc"), Map.of()));
            svc.createSandbox(on(cid(100 + i), "cyc", "btn2-cyc", List.of("a"), Map.of("80/tcp", List.of(new PortBindingRequest("", "")))));
            svc.removeSandbox(cid(100 + i));
            svc.removeNetwork(n.id());
        }
        assertThat(ownLinks()).isEqualTo(links);
        assertThat(ownRules()).isEqualTo(rules);
        svc.uninstall();
        svc = null;
        assertThat(ownLinks()).isEmpty();
        assertThat(ownRules()).isEmpty();
        assertThat(Files.list(dir.resolve("exec/netns")).toList()).isEmpty();
    }

    private static String ownLinks() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String line : run("ip", "-o", "link").split("\n")) {
            if (line.contains("btn2") || line.contains("btmv")) {
                sb.append(line.split(": ")[1]).append('\n');
            }
        }
        return sb.toString();
    }

    private static String ownRules() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String tool : List.of("iptables-save", "ip6tables-save")) {
            for (String line : run(tool).split("\n")) {
                if (line.contains("BTN2") || line.contains("btn2")) {
                    sb.append(line.replaceAll(" \\[\\d+:\\d+\\]$", "")).append('\n');
                }
            }
        }
        return sb.toString();
    }

    private void startHttpd(String ns, String body) throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), body + "\n");
        servers.add(new ProcessBuilder("nsenter", "--net=" + ns, "busybox", "httpd", "-f", "-p", "80", "-h", www.toString())
                .redirectErrorStream(true).start());
        for (int i = 0; i < 50 && !ns(ns, "busybox", "netstat", "-ltn").contains(":80 "); i++) {
            Thread.sleep(100);
        }
    }

    private static String httpGet(String host, int port) throws IOException {
        try (Socket sock = new Socket()) {
            sock.connect(new InetSocketAddress(host, port), 3000);
            sock.setSoTimeout(3000);
            OutputStream out = sock.getOutputStream();
            out.write("GET / HTTP/1.0\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = sock.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** One A query over TCP from inside the namespace (busybox nc), returning the raw response. */
    private static byte[] tcpQuery(String ns, String name) throws Exception {
        byte[] q = EmbeddedDnsTest.query(0x4242, name, 1);
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        framed.write(q.length >> 8);
        framed.write(q.length & 0xFF);
        framed.writeBytes(q);
        Process p = new ProcessBuilder("nsenter", "--net=" + ns, "busybox", "timeout", "3", "busybox", "nc", "127.0.0.11", "53").start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(framed.toByteArray());
            in.flush();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        }
    }

    private static String ns(String netns, String... argv) throws Exception {
        List<String> a = new ArrayList<>(List.of("nsenter", "--net=" + netns));
        a.addAll(List.of(argv));
        return run(a.toArray(String[]::new));
    }

    static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    /** Docker's 12-character short id. */
    static final class Ids12 {
        static String of(String id) {
            return id.substring(0, 12);
        }
    }
}
