package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The networking issue's done criteria through the docker CLI: user-defined networks with the
 * embedded DNS, connect/disconnect on a running container, internal networks, IPv6, and bad
 * input that changes nothing. Subnets are from 10.233/16 so they cannot clash with the host's.
 */
class UserNetworkIT extends E2E {
    UserNetworkIT(Engine e) {
        super(e);
    }

    private String network(String prefix, String... flags) {
        String name = Engine.name(prefix);
        String[] args = new String[flags.length + 3];
        args[0] = "network";
        args[1] = "create";
        System.arraycopy(flags, 0, args, 2, flags.length);
        args[args.length - 1] = name;
        ok(args);
        return name;
    }

    @Test
    void containersFindEachOtherByNameAndAliasButNotFromTheDefaultBridge() {
        String net = network("un-dns", "--subnet", "10.233.1.0/24");
        String a = sleeper("un-a", "--network", net, "--network-alias", "svc");
        String b = sleeper("un-b", "--network", net, "--network-alias", "svc");
        String ipA = inspect(a, "{{(index .NetworkSettings.Networks \"" + net + "\").IPAddress}}");
        String ipB = inspect(b, "{{(index .NetworkSettings.Networks \"" + net + "\").IPAddress}}");
        assertThat(ipA).startsWith("10.233.1.");

        assertThat(ok("exec", b, "nslookup", a)).contains(ipA);
        // a shared alias answers with every holder
        assertThat(ok("exec", a, "nslookup", "svc")).contains(ipA).contains(ipB);
        assertThat(ok("exec", b, "cat", "/etc/resolv.conf")).contains("nameserver 127.0.0.11");
        // reachable by name, not only resolvable
        assertThat(docker("exec", b, "ping", "-c", "1", "-W", "2", a).exit()).isZero();

        Cmd.Result fromDefault = docker("run", "--rm", "busybox", "nslookup", a);
        assertThat(fromDefault.out() + fromDefault.err()).doesNotContain(ipA);

        ok("rm", "-f", a, b);
        ok("network", "rm", net);
    }

    @Test
    void connectAndDisconnectTakeEffectInARunningContainer() {
        String net = network("un-conn", "--subnet", "10.233.2.0/24");
        String c = sleeper("un-conn");
        ok("network", "connect", "--ip", "10.233.2.77", net, c);
        assertThat(ok("exec", c, "ip", "-o", "-4", "addr")).contains("10.233.2.77/24");
        ok("network", "disconnect", net, c);
        assertThat(ok("exec", c, "ip", "-o", "-4", "addr")).doesNotContain("10.233.2.77");
        ok("rm", "-f", c);
        ok("network", "rm", net);
    }

    @Test
    void anInternalNetworkHasNoDefaultRoute() {
        String net = network("un-int", "--internal", "--subnet", "10.233.3.0/24");
        String routes = ok("run", "--rm", "--network", net, "busybox", "ip", "route");
        assertThat(routes).contains("10.233.3.0/24").doesNotContain("default");
        ok("network", "rm", net);
    }

    @Test
    void ipv6NetworksGiveContainersAnAddress() {
        String net = network("un-v6", "--ipv6", "--subnet", "10.233.4.0/24", "--subnet", "fd00:b0b:4::/64");
        String addrs = ok("run", "--rm", "--network", net, "busybox", "ip", "-o", "-6", "addr", "show", "eth0");
        assertThat(addrs).contains("fd00:b0b:4::");
        ok("network", "rm", net);
    }

    @Test
    void badInputGetsDockersStatusAndChangesNothing() {
        String before = ok("network", "ls", "-q");
        String taken = network("un-taken", "--subnet", "10.233.5.0/24");
        String after = ok("network", "ls", "-q");

        Cmd.Result overlap = docker("network", "create", "--subnet", "10.233.5.128/25", Engine.name("un-overlap"));
        assertThat(overlap.exit()).isNotZero();
        assertThat(overlap.err()).contains("Pool overlaps");

        Cmd.Result badCidr = docker("network", "create", "--subnet", "10.233.300.0/24", Engine.name("un-cidr"));
        assertThat(badCidr.exit()).isNotZero();

        Cmd.Result unknownDriver = docker("network", "create", "-d", "nosuchdriver", Engine.name("un-drv"));
        assertThat(unknownDriver.exit()).isNotZero();
        assertThat(unknownDriver.err()).contains("nosuchdriver");

        Cmd.Result outside = docker("run", "--rm", "--network", taken, "--ip", "10.9.9.9", "busybox", "true");
        assertThat(outside.exit()).isEqualTo(125);

        String user = sleeper("un-user", "--network", taken);
        Cmd.Result inUse = docker("network", "rm", taken);
        assertThat(inUse.exit()).isNotZero();
        assertThat(inUse.err()).contains("has active endpoints");

        assertThat(ok("network", "ls", "-q")).isEqualTo(after);
        ok("rm", "-f", user);
        ok("network", "rm", taken);
        assertThat(ok("network", "ls", "-q")).isEqualTo(before);
    }
}
