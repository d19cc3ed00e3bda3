package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.BerthException;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkFilesTest {
    @Test
    void hostsHasDefaultsExtraHostsAndOwnEntry() {
        String h = NetworkFiles.hosts(NetworkFiles.DEFAULT_HOSTS, "web", "example.com", "172.30.0.2",
                List.of("db:10.0.0.5", "gw:host-gateway"), "172.30.0.1");
        assertThat(h).startsWith("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
                .contains("ff02::2\tip6-allrouters\n10.0.0.5\tdb\n172.30.0.1\tgw\n")
                .endsWith("172.30.0.2\tweb.example.com web\n");
    }

    @Test
    void badExtraHostIsRejected() {
        assertThatThrownBy(() -> NetworkFiles.hosts("", "h", null, null, List.of("nocolon"), null))
                .isInstanceOf(BerthException.class);
    }

    @Test
    void resolvConfDropsLoopbackAndFallsBackToGoogle() {
        String host = "# comment\nnameserver 127.0.0.53\nsearch corp.example\noptions edns0 trust-ad\n";
        assertThat(NetworkFiles.resolvConf(host, true, List.of(), List.of(), List.of()))
                .isEqualTo("search corp.example\nnameserver 8.8.8.8\nnameserver 8.8.4.4\noptions edns0 trust-ad\n");
        assertThat(NetworkFiles.resolvConf("nameserver 10.255.255.53\n", true, null, null, null))
                .isEqualTo("nameserver 10.255.255.53\n");
        // Host networking keeps the host's loopback resolver.
        assertThat(NetworkFiles.resolvConf(host, false, null, null, null)).contains("nameserver 127.0.0.53");
    }

    @Test
    void resolvConfOverrides() {
        String host = "nameserver 10.0.0.1\nsearch a.example\noptions ndots:2\n";
        assertThat(NetworkFiles.resolvConf(host, true, List.of("1.1.1.1"), List.of("."), List.of("ndots:5")))
                .isEqualTo("nameserver 1.1.1.1\noptions ndots:5\n");
    }

    @Test
    void macIsDerivedFromIp() {
        assertThat(Ipv4.macFor("172.30.0.2")).isEqualTo("02:42:ac:1e:00:02");
    }
}
