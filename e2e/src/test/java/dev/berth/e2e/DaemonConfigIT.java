package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * dockerd's daemon.json keys and flags on a real berthd, seen through the docker CLI: the engine is
 * restarted with {@code --config-file} pointing at a daemon.json of container and network defaults
 * (default ulimits and shm size, address pools, socket group, labels), then back to its usual flags.
 * The file keeps Berth's usual {@code bip}: without it the default bridge would move into the pool
 * (as dockerd's does), under the containers of other tests.
 * {@code --validate} runs berthd alone: it must accept a good file and refuse an unknown key with
 * dockerd's message, without starting anything.
 */
class DaemonConfigIT extends E2E {
    /** A gid that need not exist in /etc/group: dockerd and berthd take a number as a gid. */
    private static final String GROUP = "4242";

    DaemonConfigIT(Engine e) {
        super(e);
    }

    private Path daemonJson(String name, String json) throws Exception {
        Path f = e.dir.resolve(name);
        Files.writeString(f, json);
        return f;
    }

    private Cmd.Result berthd(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("bash", e.root.resolve("bin/berthd").toString()));
        argv.addAll(List.of(args));
        return Cmd.run(argv, Map.of(), null, Duration.ofSeconds(60));
    }

    @Test
    void validateAcceptsAGoodFileAndRefusesUnknownKeys() throws Exception {
        Path good = daemonJson("good.json", """
                {"default-ulimits":{"nofile":{"Name":"nofile","Soft":1024,"Hard":2048}},"icc":false,
                 "exec-opts":["native.cgroupdriver=cgroupfs"],"storage-driver":"overlay2","features":{"buildkit":true}}
                """);
        Cmd.Result ok = berthd("--config-file", good.toString(), "--validate");
        assertThat(ok.exit()).as(ok.describe()).isZero();
        assertThat(ok.err()).contains("configuration OK");

        Path bad = daemonJson("bad.json", "{\"mtu\":1500,\"no-such-key\":true}");
        Cmd.Result refused = berthd("--config-file", bad.toString(), "--validate");
        assertThat(refused.exit()).as(refused.describe()).isEqualTo(1);
        assertThat(refused.err()).contains("unable to configure the Docker daemon with file " + bad
                + ": the following directives don't match any configuration option: no-such-key");

        Cmd.Result both = berthd("--config-file", good.toString(), "--icc=true", "--validate");
        assertThat(both.exit()).as(both.describe()).isEqualTo(1);
        assertThat(both.err()).contains("the following directives are specified both as a flag and in the configuration file: icc");

        Path empty = daemonJson("empty.json", "{}");
        Cmd.Result driver = berthd("--config-file", empty.toString(), "--storage-driver", "btrfs", "--validate");
        assertThat(driver.exit()).as(driver.describe()).isEqualTo(1);
        assertThat(driver.err()).contains("driver not supported: btrfs");
    }

    @Test
    void daemonJsonDefaultsReachContainersNetworksAndTheSocket() throws Exception {
        Path cfg = daemonJson("daemon.json", """
                {
                  "group": "%s",
                  "default-ulimits": {"nofile": {"Name": "nofile", "Soft": 1234, "Hard": 2345}},
                  "default-shm-size": "96M",
                  "default-address-pools": [{"base": "10.213.0.0/16", "size": 24}],
                  "bip": "172.30.0.1/16",
                  "labels": ["e2e.daemon-config=yes"],
                  "exec-opts": ["native.cgroupdriver=cgroupfs"],
                  "userland-proxy": false
                }
                """.formatted(GROUP));
        String net = Engine.name("pool-net");
        try {
            e.restart(List.of("--config-file", cfg.toString()));

            // --group: the socket is mode 0660 and belongs to the group
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(e.socket, LinkOption.NOFOLLOW_LINKS)))
                    .isEqualTo("rw-rw----");
            assertThat(Files.getAttribute(e.socket, "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(Integer.parseInt(GROUP));

            // default-ulimits: soft and hard limits inside a container; a container's own --ulimit wins
            assertThat(ok("run", "--rm", "busybox", "sh", "-c", "ulimit -n; ulimit -Hn")).isEqualTo("1234\n2345\n");
            assertThat(ok("run", "--rm", "--ulimit", "nofile=100:200", "busybox", "sh", "-c", "ulimit -n")).isEqualTo("100\n");

            // default-shm-size: /dev/shm of a container that sets none, and its inspect
            assertThat(ok("run", "--rm", "busybox", "sh", "-c", "df -k /dev/shm | tail -1")).contains(" 98304 ");
            String c = sleeper("shm");
            assertThat(inspect(c, "{{.HostConfig.ShmSize}}")).isEqualTo(Long.toString(96L << 20));
            ok("rm", "-f", c);

            // default-address-pools: a network created without a subnet gets one from the pool
            ok("network", "create", net);
            assertThat(inspect(net, "{{(index .IPAM.Config 0).Subnet}}")).matches("10\\.213\\.\\d+\\.0/24");

            // labels in docker info
            assertThat(ok("info", "--format", "{{json .Labels}}")).contains("e2e.daemon-config=yes");
        } finally {
            docker("network", "rm", net);
            e.restart(List.of());
        }
    }
}
