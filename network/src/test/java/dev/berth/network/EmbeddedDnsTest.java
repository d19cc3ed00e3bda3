package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.network.NetworkService.EndpointRequest;
import dev.berth.network.NetworkService.NetworkSpec;
import dev.berth.network.NetworkService.SandboxRequest;
import dev.berth.sys.net.FakeNetKernel;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container-name resolution on user-defined networks, over real UDP on loopback (fake kernel). */
class EmbeddedDnsTest {
    @TempDir
    Path dir;

    static byte[] query(int id, String name, int type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(id >> 8);
        out.write(id & 0xFF);
        out.write(0x01); // RD
        out.write(0x00);
        out.writeBytes(new byte[] {0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.write(0);
        out.writeBytes(new byte[] {0, (byte) type, 0, 1});
        return out.toByteArray();
    }

    static byte[] ask(SocketAddress server, byte[] q) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(5000);
            s.send(new DatagramPacket(q, q.length, server));
            byte[] buf = new byte[512];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return Arrays.copyOf(buf, p.getLength());
        }
    }

    static SandboxRequest on(String id, String name, String net, List<String> aliases) {
        return new SandboxRequest(id, "/" + name, net, name, "", Map.of(), false, List.of(),
                Map.of(net, new EndpointRequest(null, null, aliases, null, Map.of())), List.of("127.0.0.1"), List.of(), List.of(), List.of(), null);
    }

    @Test
    void resolvesPeersByNameAndAliasAndFailsOverForOthers() throws Exception {
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 10.0.0.1\nsearch corp.example\n");
        FakeNetKernel fake = new FakeNetKernel();
        var svc = new BridgeNetworkService(dir.resolve("d"), dir.resolve("e"), null, null, null, dir.resolve("resolv.conf"), fake.kernel());
        svc.start();
        svc.createNetwork(new NetworkSpec("app", "bridge", false, false, false, List.of(), Map.of(), Map.of()));
        String web = "aaaa" + "0".repeat(60);
        String db = "bbbb" + "0".repeat(60);
        var w = svc.createSandbox(on(web, "web", "app", List.of()));
        svc.createSandbox(on(db, "db", "app", List.of("database")));
        assertThat(w.resolvConf()).isEqualTo("search corp.example\nnameserver 127.0.0.11\noptions ndots:0\n");

        SocketAddress server = svc.dnsAddress(web);
        byte[] r = ask(server, query(0x1234, "database", 1));
        assertThat(r[0]).isEqualTo((byte) 0x12);
        assertThat(r[3] & 0x0F).isZero(); // NOERROR
        assertThat(r[7]).isEqualTo((byte) 1); // one answer
        assertThat(Arrays.copyOfRange(r, r.length - 4, r.length)).containsExactly(172, 31, 0, 3);
        assertThat(ask(server, query(7, "DB", 1))[7]).isEqualTo((byte) 1);
        assertThat(ask(server, query(8, "db", 28))[7]).isZero(); // AAAA: empty answer

        // Unknown names go upstream (127.0.0.1:53 refuses here): SERVFAIL.
        byte[] f = ask(server, query(9, "example.org", 1));
        assertThat(f[3] & 0x0F).isEqualTo(DnsMessages.RCODE_SERVFAIL);

        // Default bridge: no embedded DNS, host-derived resolv.conf.
        var plain = svc.createSandbox(new SandboxRequest("cccc" + "0".repeat(60), "/x", "bridge", "x", "", Map.of(), false, List.of(),
                Map.of(), List.of(), List.of(), List.of(), List.of(), null));
        assertThat(plain.resolvConf()).contains("nameserver 10.0.0.1");
        svc.removeSandbox(web);
        assertThat(svc.dnsAddress(web)).isNull();
        svc.uninstall();
    }

    static int answers(byte[] r) {
        return ((r[6] & 0xFF) << 8) | (r[7] & 0xFF);
    }

    @Test
    void sharedAliasesReverseLookupsTcpAndOneThreadForAllContainers() throws Exception {
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 10.0.0.1\n");
        FakeNetKernel fake = new FakeNetKernel();
        var svc = new BridgeNetworkService(dir.resolve("d"), dir.resolve("e"), null, null, null, dir.resolve("resolv.conf"), fake.kernel());
        svc.start();
        svc.createNetwork(new NetworkSpec("app", "bridge", false, false, true,
                List.of(new NetworkService.IpamPool("10.77.0.0/24", null, null), new NetworkService.IpamPool("fd00:77::/64", null, null)),
                Map.of(), Map.of()));
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String id = "%04d".formatted(i) + "e".repeat(60);
            ids.add(id);
            svc.createSandbox(on(id, "c" + i, "app", List.of("shared")));
        }
        // Twelve containers, one serving thread.
        assertThat(svc.dnsThreads()).isEqualTo(1);
        SocketAddress server = svc.dnsAddress(ids.getFirst());
        byte[] all = ask(server, query(1, "shared", 1));
        assertThat(answers(all)).isEqualTo(12);
        byte[] six = ask(server, query(2, "c3", 28));
        assertThat(answers(six)).isEqualTo(1);
        assertThat(Arrays.copyOfRange(six, six.length - 16, six.length)).isEqualTo(java.net.InetAddress.getByName("fd00:77::5").getAddress());
        assertThat(answers(ask(server, query(3, "c3.app", 1)))).isEqualTo(1);
        // PTR: 10.77.0.5 is c3 (addresses start at .2).
        byte[] ptr = ask(server, query(4, "5.0.77.10.in-addr.arpa", 12));
        assertThat(answers(ptr)).isEqualTo(1);
        assertThat(new String(ptr, StandardCharsets.US_ASCII)).contains("c3", "app");
        byte[] ptr6 = ask(server, query(5, Ipv6.arpa("fd00:77::5"), 12));
        assertThat(answers(ptr6)).isEqualTo(1);
        // TCP: length-prefixed, two queries on one connection.
        try (java.net.Socket t = new java.net.Socket()) {
            t.connect(svc.dnsTcpAddress(ids.getFirst()), 3000);
            t.setSoTimeout(3000);
            var out = new java.io.DataOutputStream(t.getOutputStream());
            var in = new java.io.DataInputStream(t.getInputStream());
            for (int q = 0; q < 2; q++) {
                byte[] msg = query(10 + q, "c" + (q + 1), 1);
                out.writeShort(msg.length);
                out.write(msg);
                out.flush();
                byte[] r = in.readNBytes(in.readUnsignedShort());
                assertThat(answers(r)).isEqualTo(1);
                assertThat(r[r.length - 1]).isEqualTo((byte) (3 + q));
            }
        }
        // A container connected later gets the embedded DNS and a rewritten resolv.conf.
        String late = "ffff" + "0".repeat(60);
        svc.createSandbox(new SandboxRequest(late, "/late", "bridge", "late", "", Map.of(), false, List.of(),
                Map.of(), List.of(), List.of(), List.of(), List.of(), null));
        assertThat(svc.dnsAddress(late)).isNull();
        List<String> delivered = new java.util.ArrayList<>();
        svc.onResolvConfChanged((id, content) -> delivered.add(id + "=" + content));
        svc.connect(late, "app", new EndpointRequest(null, null, List.of(), null, Map.of()));
        assertThat(delivered).singleElement().asString().startsWith(late + "=").contains("nameserver 127.0.0.11");
        assertThat(answers(ask(svc.dnsAddress(late), query(6, "c0", 1)))).isEqualTo(1);
        assertThat(svc.sandbox(late).orElseThrow().endpoints().get("app").dnsNames()).containsExactly("late", "ffff00000000");
        assertThat(svc.dnsThreads()).isEqualTo(1);
        svc.uninstall();
    }
}
