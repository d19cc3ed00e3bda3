package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.network.NetworkService.PortBindingRequest;
import dev.berth.network.NetworkService.Sandbox;
import dev.berth.network.NetworkService.SandboxRequest;
import dev.berth.sys.net.NetKernel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kernel (needs root): a test bridge {@code btnet0} on 10.231.0.1/24 with chains
 * {@code BTNET*}, so it cannot clash with berth0 or docker0. Traffic goes only to loopback, the
 * host's own address and the namespace this test creates.
 */
class BridgeNetworkIT {
    static final String CID = "b7e57000" + "0".repeat(56);

    @TempDir
    Path dir;
    BridgeNetworkService svc;
    Process server;

    BridgeNetworkService service() throws IOException {
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.53\n");
        return new BridgeNetworkService(dir.resolve("data"), dir.resolve("exec"),
                new BridgeOptions("btnet0", "10.231.0.1/24", "0.0.0.0", "BTNET", 1500, dir.resolve("resolv.conf"), null),
                NetKernel.linux());
    }

    @AfterEach
    void cleanup() {
        if (server != null) {
            server.destroyForcibly();
        }
        if (svc != null) {
            svc.uninstall();
        }
    }

    @Test
    void sandboxIsReachableThroughPublishedPortsAndLeavesNothingBehind() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        List<String> linksBefore = linkNames();
        String rulesBefore = iptablesSave();

        svc = service();
        svc.start();
        String rulesStarted = iptablesSave();
        assertThat(rulesStarted).contains(":BTNET -\n", "-A BTNET-POSTROUTING -s 10.231.0.0/24 ! -o btnet0 -j MASQUERADE");

        Sandbox s = svc.createSandbox(new SandboxRequest(CID, "/btnet", "bridge", "btnet", "", Map.of("80/tcp", List.of(new PortBindingRequest("", ""))),
                false, List.of("80/tcp"), Map.of(), List.of(), List.of(), List.of(), List.of(), null));
        String ns = s.netnsPath();
        int hostPort = Integer.parseInt(s.ports().get("80/tcp").getFirst().hostPort());
        assertThat(run("nsenter", "--net=" + ns, "ip", "-o", "-4", "addr")).contains("eth0", "10.231.0.2/24");
        assertThat(run("nsenter", "--net=" + ns, "ip", "route")).contains("default via 10.231.0.1 dev eth0");
        assertThat(run("nsenter", "--net=" + ns, "busybox", "ping", "-c", "1", "-W", "2", "10.231.0.1")).contains("1 packets received");

        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello from btnet\n");
        server = new ProcessBuilder("nsenter", "--net=" + ns, "busybox", "httpd", "-f", "-p", "80", "-h", www.toString())
                .redirectErrorStream(true).start();
        waitForListen(ns);

        assertThat(httpGet("127.0.0.1", hostPort)).contains("hello from btnet");
        String hostIp = hostAddress();
        assertThat(httpGet(hostIp, hostPort)).contains("hello from btnet");
        // Hairpin: the container reaches its own published port through the host's address.
        // (busybox-static's wget crashes here, so plain nc speaks HTTP.)
        assertThat(runWithInput("GET / HTTP/1.0\r\n\r\n", "timeout", "5", "nsenter", "--net=" + ns, "busybox", "nc", hostIp, Integer.toString(hostPort)))
                .contains("hello from btnet");

        // A restarted service re-applies rules idempotently (live restore) without duplicates.
        String rulesWithSandbox = iptablesSave();
        BridgeNetworkService restarted = service();
        restarted.start();
        assertThat(iptablesSave()).isEqualTo(rulesWithSandbox);
        assertThat(restarted.sandbox(CID)).contains(s);

        server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        server = null;
        restarted.removeSandbox(CID);
        assertThat(Files.exists(Path.of(ns))).isFalse();
        assertThat(iptablesSave()).isEqualTo(rulesStarted);
        assertNoNewLinks(withBridge(linksBefore));
        assertThat(linkNames()).contains("btnet0");

        svc.uninstall();
        svc = null;
        assertNoNewLinks(linksBefore);
        assertThat(iptablesSave()).isEqualTo(rulesBefore);
    }

    @Test
    void userDefinedNetworkConnectAndDisconnect() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        List<String> linksBefore = linkNames();
        String rulesBefore = iptablesSave();
        svc = service();
        svc.start();
        var net = svc.createNetwork(new NetworkService.NetworkSpec("btnet-user", "bridge", false, false, false,
                List.of(new NetworkService.IpamPool("10.231.1.0/24", null, null)), Map.of("com.docker.network.bridge.name", "btnet1"), Map.of()));
        assertThat(linkNames()).contains("btnet1");
        Sandbox s = svc.createSandbox(new SandboxRequest(CID, "/btnet", "btnet-user", "btnet", "", Map.of(), false, List.of(), Map.of(),
                List.of(), List.of(), List.of(), List.of(), null));
        String ns = s.netnsPath();
        assertThat(run("nsenter", "--net=" + ns, "busybox", "ping", "-c", "1", "-W", "2", "10.231.1.1")).contains("1 packets received");
        // Embedded DNS inside the namespace: the container's own name.
        assertThat(s.resolvConf()).contains("nameserver 127.0.0.11");
        assertThat(run("nsenter", "--net=" + ns, "busybox", "nslookup", "btnet", "127.0.0.11")).contains("10.231.1.2");
        svc.connect(CID, "bridge", null);
        assertThat(run("nsenter", "--net=" + ns, "ip", "-o", "-4", "addr")).contains("eth1", "10.231.0.2/24");
        assertThat(run("nsenter", "--net=" + ns, "busybox", "ping", "-c", "1", "-W", "2", "10.231.0.1")).contains("1 packets received");
        svc.disconnect(CID, "btnet-user", false);
        assertThat(run("nsenter", "--net=" + ns, "ip", "route")).contains("default via 10.231.0.1 dev eth1");
        svc.removeSandbox(CID);
        svc.removeNetwork(net.id());
        assertThat(linkNames()).doesNotContain("btnet1");
        svc.uninstall();
        svc = null;
        assertNoNewLinks(linksBefore);
        assertThat(iptablesSave()).isEqualTo(rulesBefore);
    }

    private static List<String> withBridge(List<String> links) {
        List<String> l = new ArrayList<>(links);
        l.add("btnet0");
        return l;
    }

    private static void waitForListen(String ns) throws Exception {
        for (int i = 0; i < 50; i++) {
            if (run("nsenter", "--net=" + ns, "busybox", "netstat", "-ltn").contains(":80 ")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("httpd did not start in the namespace");
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

    private static String hostAddress() throws IOException {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (ni.isLoopback() || !ni.isUp() || ni.getName().startsWith("btnet") || ni.getName().startsWith("veth")) {
                continue;
            }
            for (var a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    return a.getHostAddress();
                }
            }
        }
        throw new AssertionError("no host IPv4 address");
    }

    /**
     * Nothing this test made is left: every link now present was there before. Links that other
     * processes on the host remove meanwhile (containers exiting) do not count against us.
     */
    private static void assertNoNewLinks(List<String> before) throws Exception {
        List<String> extra = new java.util.ArrayList<>(linkNames());
        extra.removeAll(before);
        assertThat(extra).as("links left behind").isEmpty();
    }

    private static List<String> linkNames() throws Exception {
        List<String> names = new ArrayList<>();
        for (String line : run("ip", "-o", "link").split("\n")) {
            if (!line.isBlank()) {
                names.add(line.split(": ")[1].split("@")[0]);
            }
        }
        return names;
    }

    /** iptables-save without comments and counters, so two snapshots compare by content. */
    private static String iptablesSave() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String line : run("iptables-save").split("\n")) {
            if (!line.startsWith("#")) {
                sb.append(line.replaceAll(" \\[\\d+:\\d+\\]$", "")).append('\n');
            }
        }
        return sb.toString();
    }

    private static String run(String... argv) throws Exception {
        return runWithInput("", argv);
    }

    private static String runWithInput(String input, String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.US_ASCII));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
