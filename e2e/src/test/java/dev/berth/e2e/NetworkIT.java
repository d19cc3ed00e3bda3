package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NetworkIT extends E2E {
    NetworkIT(Engine e) {
        super(e);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void inspectShowsTheDefaultBridgeAddressWhereScriptsLookForIt() {
        String name = sleeper("ipaddr");
        String top = inspect(name, "{{.NetworkSettings.IPAddress}} {{.NetworkSettings.Gateway}} {{.NetworkSettings.IPPrefixLen}}");
        String bridge = inspect(name, "{{(index .NetworkSettings.Networks \"bridge\").IPAddress}}");
        assertThat(top).matches("\\d+\\.\\d+\\.\\d+\\.\\d+ \\d+\\.\\d+\\.\\d+\\.\\d+ \\d+").startsWith(bridge + " ");
        ok("rm", "-f", name);
    }

    @Test
    void publishedPortServesHttp() throws Exception {
        int port = freePort();
        String name = Engine.name("httpd");
        ok("run", "-d", "--name", name, "-p", "127.0.0.1:" + port + ":80", "busybox", "httpd", "-f", "-p", "80", "-h", "/var/www");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String[] body = {null};
        boolean served = eventually(Duration.ofSeconds(15), () -> {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                body[0] = r.body();
                return r.statusCode() == 200;
            } catch (IOException ex) {
                return false;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        assertThat(served).as("httpd on 127.0.0.1:%d\n%s", port, e.logTail()).isTrue();
        assertThat(body[0]).isEqualTo("hello from berth busybox\n");
        assertThat(ok("port", name)).isEqualTo("80/tcp -> 127.0.0.1:" + port + "\n");
        assertThat(ok("ps", "--filter", "name=" + name, "--format", "{{.Ports}}")).isEqualTo("127.0.0.1:" + port + "->80/tcp\n");
        ok("rm", "-f", name);
    }

    @Test
    void containersOnTheDefaultBridgeHaveAnAddress() {
        String out = ok("run", "--rm", "busybox", "ip", "-o", "-4", "addr", "show", "eth0");
        assertThat(out).contains("inet ");
    }

    @Test
    void networkNone() {
        String links = ok("run", "--rm", "--network", "none", "busybox", "ip", "-o", "link");
        assertThat(links.lines().map(l -> l.split(":")[1].trim())).containsExactly("lo");
    }

    @Test
    void networkHost() throws Exception {
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        assertThat(ok("run", "--rm", "--network", "host", "busybox", "hostname").trim()).isEqualTo(host);
        String hostNet = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        assertThat(ok("run", "--rm", "--network", "host", "busybox", "readlink", "/proc/self/ns/net").trim()).isEqualTo(hostNet);
    }

    @Test
    void hostsAndResolvConf() {
        String name = Engine.name("hosts");
        String hosts = ok("run", "--rm", "--name", name, "-h", "e2ehost", "--add-host", "extra.example:10.1.2.3",
                "busybox", "cat", "/etc/hosts");
        assertThat(hosts).contains("localhost").contains("e2ehost").contains("10.1.2.3\textra.example");
        String resolv = ok("run", "--rm", "busybox", "cat", "/etc/resolv.conf");
        assertThat(resolv).contains("nameserver");
        assertThat(ok("run", "--rm", "--dns", "9.9.9.9", "busybox", "cat", "/etc/resolv.conf")).contains("nameserver 9.9.9.9");
    }

    @Test
    void userNetworksCreateListRemove() {
        String net = Engine.name("net");
        String id = ok("network", "create", net).trim();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(ok("network", "ls")).contains(net).contains("bridge").contains("host").contains("none");
        assertThat(ok("network", "inspect", "--format", "{{.Name}} {{.Driver}}", net)).isEqualTo(net + " bridge\n");
        ok("network", "rm", net);
        assertThat(docker("network", "inspect", net).exit()).isEqualTo(1);
    }
}
