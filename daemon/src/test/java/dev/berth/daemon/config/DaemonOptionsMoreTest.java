package dev.berth.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.model.HostConfig;
import dev.berth.common.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dockerd's container-default, network-default and engine flags, their daemon.json keys, conflicts and --validate. */
class DaemonOptionsMoreTest {
    @TempDir
    Path tmp;

    private String[] withFile(String json, String... args) throws Exception {
        Path f = tmp.resolve("daemon.json");
        Files.writeString(f, json);
        String[] out = new String[args.length + 2];
        out[0] = "--config-file";
        out[1] = f.toString();
        System.arraycopy(args, 0, out, 2, args.length);
        return out;
    }

    private DaemonConfig parse(String json, String... args) throws Exception {
        return DaemonOptions.parse(withFile(json, args)).config();
    }

    @Test
    void defaultsAreDockerds() throws Exception {
        DaemonConfig c = parse("");
        assertThat(c.containerDefaults()).isEqualTo(ContainerDefaults.none());
        assertThat(c.containerDefaults().shmSize()).isEqualTo(64L * 1024 * 1024);
        assertThat(c.networkDefaults()).isEqualTo(NetworkDefaults.none());
        assertThat(c.networkDefaults().icc()).isTrue();
        assertThat(c.networkDefaults().ipMasq()).isTrue();
        EngineSettings e = c.engine();
        assertThat(e.socketGroup()).isEqualTo("docker");
        assertThat(e.socketGroupExplicit()).isFalse();
        assertThat(e.maxConcurrentDownloads()).isEqualTo(3);
        assertThat(e.maxConcurrentUploads()).isEqualTo(5);
        assertThat(e.maxDownloadAttempts()).isEqualTo(5);
        assertThat(e.shutdownTimeout()).isEqualTo(15);
        assertThat(e.experimental()).isFalse();
        assertThat(e.labels()).isEmpty();
        assertThat(DaemonConfig.defaults().engine()).isEqualTo(EngineSettings.defaults());
    }

    // ---- 1. validation

    @Test
    void unknownKeysAreRejectedWithDockerdsMessage() {
        assertThatThrownBy(() -> parse("{\"x\":1,\"mtu\":1400,\"y\":true}"))
                .isInstanceOf(BerthException.class)
                .hasMessage("unable to configure the Docker daemon with file " + tmp.resolve("daemon.json")
                        + ": the following directives don't match any configuration option: x, y");
    }

    @Test
    void flagAndFileConflictsNameEveryKey() {
        assertThatThrownBy(() -> parse("{\"group\":\"wheel\",\"mtu\":1400,\"labels\":[\"a=b\"],\"default-ulimits\":{}}",
                "--group", "adm", "--mtu", "1300", "--label", "c=d", "--default-ulimit", "nofile=1:2"))
                .hasMessageContaining("the following directives are specified both as a flag and in the configuration file: ")
                .hasMessageContaining("group: (from flag: adm, from file: wheel)")
                .hasMessageContaining("mtu: (from flag: 1300, from file: 1400)")
                .hasMessageContaining("labels: (from flag: [c=d], from file: [a=b])")
                .hasMessageContaining("default-ulimits: (from flag: [nofile=1:2]");
        assertThatThrownBy(() -> parse("{\"dns-opts\":[\"ndots:1\"]}", "--dns-opt", "ndots:2")).hasMessageContaining("dns-opts: (from flag");
        assertThatThrownBy(() -> parse("{\"default-address-pools\":[{\"base\":\"10.0.0.0/8\",\"size\":24}]}",
                "--default-address-pool", "base=10.0.0.0/8,size=24")).hasMessageContaining("default-address-pools: (from flag");
    }

    @Test
    void validateOnlyIsReported() throws Exception {
        var p = DaemonOptions.parse(withFile("{\"mtu\":1400}", "--validate"));
        assertThat(p.validateOnly()).isTrue();
        assertThat(DaemonOptions.parse(withFile("{}")).validateOnly()).isFalse();
        // --validate does not soften validation: the error is the same as at start-up
        assertThatThrownBy(() -> DaemonOptions.parse(withFile("{\"nope\":1}", "--validate")))
                .hasMessageContaining("don't match any configuration option: nope");
    }

    // ---- 2. group

    @Test
    void groupFlagAndKey() throws Exception {
        assertThat(parse("", "-G", "adm").engine()).extracting(EngineSettings::socketGroup, EngineSettings::socketGroupExplicit)
                .containsExactly("adm", true);
        assertThat(parse("{\"group\":\"staff\"}").engine().socketGroup()).isEqualTo("staff");
        assertThat(parse("{\"group\":\"\"}").engine().socketGroup()).isEmpty();
    }

    // ---- 3. container defaults

    @Test
    void defaultUlimitsFromFlagsAndJson() throws Exception {
        var flags = parse("", "--default-ulimit", "nofile=1024:2048", "--default-ulimit", "nproc=512", "--default-ulimit", "nofile=100:200");
        assertThat(flags.containerDefaults().ulimits()).containsExactly(
                new HostConfig.Ulimit("nofile", 100, 200), new HostConfig.Ulimit("nproc", 512, 512));
        var json = parse("{\"default-ulimits\":{\"nofile\":{\"Name\":\"nofile\",\"Soft\":64000,\"Hard\":64001},\"core\":{\"Soft\":-1,\"Hard\":-1}}}");
        assertThat(json.containerDefaults().ulimits()).containsExactly(
                new HostConfig.Ulimit("nofile", 64000, 64001), new HostConfig.Ulimit("core", -1, -1));
    }

    @Test
    void badUlimitsUseGoUnitsWording() {
        assertThatThrownBy(() -> parse("", "--default-ulimit", "nofile")).hasMessage("invalid ulimit argument: nofile");
        assertThatThrownBy(() -> parse("", "--default-ulimit", "files=1")).hasMessage("invalid ulimit type: files");
        assertThatThrownBy(() -> parse("", "--default-ulimit", "nofile=10:5"))
                .hasMessage("ulimit soft limit must be less than or equal to hard limit: 10 > 5");
        assertThatThrownBy(() -> parse("", "--default-ulimit", "nofile=1:2:3"))
                .hasMessageContaining("too many limit value arguments - 1:2:3");
        assertThatThrownBy(() -> parse("", "--default-ulimit", "nofile=x")).hasMessageContaining("parsing \"x\": invalid syntax");
        assertThatThrownBy(() -> parse("{\"default-ulimits\":[{\"Name\":\"nofile\"}]}")).hasMessageContaining("default-ulimits");
    }

    @Test
    void shmSizeInitNoNewPrivilegesCgroupns() throws Exception {
        var c = parse("", "--default-shm-size", "128M", "--init", "--no-new-privileges", "--default-cgroupns-mode", "private").containerDefaults();
        assertThat(c.shmSize()).isEqualTo(128L << 20);
        assertThat(c.init()).isTrue();
        assertThat(c.noNewPrivileges()).isTrue();
        assertThat(c.cgroupnsMode()).isEqualTo("private");
        var j = parse("{\"default-shm-size\":\"1g\",\"init\":true,\"no-new-privileges\":true,\"default-cgroupns-mode\":\"host\"}").containerDefaults();
        assertThat(j.shmSize()).isEqualTo(1L << 30);
        assertThat(j.init()).isTrue();
        assertThat(j.cgroupnsMode()).isEqualTo("host");
        assertThat(parse("{\"default-shm-size\":1048576}").containerDefaults().shmSize()).isEqualTo(1048576);
        assertThat(parse("", "--init=false").containerDefaults().init()).isFalse();
        assertThatThrownBy(() -> parse("", "--default-shm-size", "lots")).hasMessage("invalid size: 'lots'");
        assertThatThrownBy(() -> parse("", "--default-cgroupns-mode", "shared"))
                .hasMessage("default cgroup namespace mode (shared) is invalid; use \"host\" or \"private\"");
    }

    @Test
    void seccompProfileIsReadAtStartUp() throws Exception {
        Path prof = tmp.resolve("seccomp.json");
        Files.writeString(prof, "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}");
        assertThat(parse("", "--seccomp-profile", prof.toString()).containerDefaults().seccompProfile())
                .isEqualTo("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}");
        assertThat(parse("{\"seccomp-profile\":\"unconfined\"}").containerDefaults().seccompProfile()).isEqualTo("unconfined");
        assertThat(parse("", "--seccomp-profile", "builtin").containerDefaults().seccompProfile()).isNull();
        assertThatThrownBy(() -> parse("", "--seccomp-profile", tmp.resolve("missing.json").toString()))
                .hasMessageContaining("opening seccomp profile (" + tmp.resolve("missing.json") + ") failed")
                .hasMessageContaining("no such file or directory");
        Files.writeString(prof, "not json");
        assertThatThrownBy(() -> parse("", "--seccomp-profile", prof.toString())).hasMessageContaining("decoding seccomp profile");
    }

    // ---- 4. networking

    @Test
    void networkFlags() throws Exception {
        var n = parse("", "--bip", "172.30.0.1/16", "--mtu", "1400", "--fixed-cidr", "172.30.4.0/24", "--default-address-pool", "base=10.10.0.0/16,size=24",
                "--default-address-pool", "Base=10.20.0.0/16,Size=26", "--icc=false", "--ip-masq=false", "--userland-proxy=false",
                "--dns-search", "corp.example", "--dns-opt", "ndots:2", "--host-gateway-ip", "192.0.2.1").networkDefaults();
        assertThat(n.mtu()).isEqualTo(1400);
        assertThat(n.fixedCidr()).isEqualTo("172.30.4.0/24");
        assertThat(n.addressPools()).containsExactly(new NetworkDefaults.AddressPool("10.10.0.0/16", 24),
                new NetworkDefaults.AddressPool("10.20.0.0/16", 26));
        assertThat(n.icc()).isFalse();
        assertThat(n.ipMasq()).isFalse();
        assertThat(n.userlandProxy()).isFalse();
        assertThat(n.dnsSearch()).containsExactly("corp.example");
        assertThat(n.dnsOptions()).containsExactly("ndots:2");
        assertThat(n.hostGatewayIp()).isEqualTo("192.0.2.1");
    }

    @Test
    void networkKeys() throws Exception {
        var n = parse("""
                {"bip":"172.30.0.1/16","mtu":9000,"fixed-cidr":"172.30.4.0/24","default-address-pools":[{"base":"10.30.0.0/16","size":24}],
                 "icc":false,"ip-masq":false,"userland-proxy":false,"dns-search":["a.example"],"dns-opts":["timeout:1"],
                 "host-gateway-ip":"192.0.2.2"}
                """).networkDefaults();
        assertThat(n).isEqualTo(new NetworkDefaults(9000, "172.30.4.0/24", List.of(new NetworkDefaults.AddressPool("10.30.0.0/16", 24)),
                false, false, false, List.of("a.example"), List.of("timeout:1"), "192.0.2.2"));
    }

    @Test
    void badNetworkValues() throws Exception {
        assertThatThrownBy(() -> parse("", "--mtu", "-1")).hasMessage("invalid default MTU: -1");
        assertThatThrownBy(() -> parse("", "--default-address-pool", "base=10.0.0.0/8,sz=24")).hasMessage("unexpected key 'sz' in 'sz=24'");
        assertThatThrownBy(() -> parse("", "--default-address-pool", "base")).hasMessage("invalid field 'base' must be a key=value pair");
        assertThatThrownBy(() -> parse("", "--default-address-pool", "base=10.0.0.0/16,size=8")).hasMessage("invalid pools size: 8");
        assertThatThrownBy(() -> parse("{\"default-address-pools\":[{\"base\":\"10.0.0.0/8\"}]}")).hasMessageContaining("default-address-pools");
        assertThatThrownBy(() -> parse("", "--dns-search", "123456")).hasMessage("123456 is not a valid domain");
        assertThatThrownBy(() -> parse("", "--host-gateway-ip", "gw.local")).hasMessageContaining("invalid string being converted to IP address");
        assertThatThrownBy(() -> parse("{\"icc\":false}", "--iptables=false"))
                .hasMessage("You specified --iptables=false with --icc=false. ICC=false uses iptables to function. Please set --icc or --iptables to true");
        assertThatThrownBy(() -> parse("", "--bip", "172.30.0.1/16", "--fixed-cidr", "10.1.0.0/24"))
                .hasMessageContaining("fixed-cidr 10.1.0.0/24 is not inside the default bridge's subnet 172.30.0.0/16");
        // without --bip the fixed-cidr is the bridge's subnet, as in dockerd
        assertThat(BridgeSettings.of(parse("", "--fixed-cidr", "10.1.0.0/24")).bridgeCidr()).isEqualTo("10.1.0.1/24");
        assertThat(BridgeSettings.of(parse("{\"default-address-pools\":[{\"base\":\"10.5.0.0/16\",\"size\":24}]}")).bridgeFromPools()).isTrue();
        assertThat(BridgeSettings.of(parse("", "--bip", "10.7.0.1/16", "--fixed-cidr", "10.7.3.0/24", "--mtu", "1450", "--icc=false"))
                .toString()).contains("bridgeCidr=10.7.0.1/16", "fixedCidr=10.7.3.0/24", "mtu=1450", "icc=false");
    }

    @Test
    void hostGatewayIpsOfDockerd28() throws Exception {
        assertThat(parse("{\"host-gateway-ips\":[\"192.0.2.5\",\"2001:db8::5\"]}").networkDefaults().hostGatewayIp()).isEqualTo("192.0.2.5");
        assertThat(parse("", "--host-gateway-ip", "2001:db8::1", "--host-gateway-ip", "192.0.2.6").networkDefaults().hostGatewayIp())
                .isEqualTo("192.0.2.6");
        assertThatThrownBy(() -> parse("", "--host-gateway-ip", "192.0.2.6", "--host-gateway-ip", "192.0.2.7"))
                .hasMessage("only one IPv4 host gateway IP address can be specified");
        assertThatThrownBy(() -> parse("{\"host-gateway-ip\":\"192.0.2.1\",\"host-gateway-ips\":[\"192.0.2.2\"]}"))
                .hasMessageContaining("cannot both be set");
        assertThatThrownBy(() -> parse("{\"host-gateway-ips\":[\"192.0.2.2\"]}", "--host-gateway-ip", "192.0.2.3"))
                .hasMessageContaining("host-gateway-ips: (from flag");
    }

    // ---- 5. compatibility settings

    @Test
    void storageDriver() throws Exception {
        assertThat(parse("", "--storage-driver", "overlay2").engine().storageDriver()).isEqualTo("overlay2");
        assertThat(DaemonOptions.parse(withFile("{\"storage-driver\":\"overlay\"}")).warnings()).anyMatch(w -> w.contains("overlay2"));
        assertThatThrownBy(() -> parse("", "-s", "btrfs"))
                .hasMessage("error initializing graphdriver: driver not supported: btrfs (Berth only supports the overlay2 storage driver)");
        assertThatThrownBy(() -> parse("{\"storage-driver\":\"devicemapper\"}")).hasMessageContaining("driver not supported: devicemapper");
    }

    @Test
    void execOptsCgroupDriver() throws Exception {
        assertThat(DaemonOptions.parse(withFile("", "--exec-opt", "native.cgroupdriver=cgroupfs")).warnings()).isEmpty();
        var systemd = DaemonOptions.parse(withFile("{\"exec-opts\":[\"native.cgroupdriver=systemd\"]}"));
        assertThat(systemd.config().engine().cgroupDriver()).isEqualTo("cgroupfs");
        assertThat(systemd.warnings()).anyMatch(w -> w.contains("native.cgroupdriver=systemd is not supported by Berth"));
        assertThatThrownBy(() -> parse("", "--exec-opt", "native.cgroupdriver=bogus")).hasMessage("native.cgroupdriver option bogus not supported");
        assertThatThrownBy(() -> parse("", "--exec-opt", "native.cgroupdriver=none"))
                .hasMessageContaining("internally used and cannot be specified manually");
        assertThatThrownBy(() -> parse("", "--exec-opt", "foo=bar")).hasMessage("unknown exec-opt: foo=bar");
    }

    @Test
    void labelsAndExperimental() throws Exception {
        var e = parse("", "--label", "env=prod", "--label", "tier=db", "--label", "env=prod", "--experimental").engine();
        assertThat(e.labels()).containsExactly("env=prod", "tier=db");
        assertThat(e.experimental()).isTrue();
        assertThat(parse("{\"labels\":[\"a=1\"],\"experimental\":true}").engine().labels()).containsExactly("a=1");
        assertThatThrownBy(() -> parse("", "--label", "novalue")).hasMessage("bad attribute format: novalue");
        assertThatThrownBy(() -> parse("", "--label", "a=1", "--label", "a=2")).hasMessage("conflict labels for a=2 and a=1");
        assertThatThrownBy(() -> parse("", "--label", "com.docker.x=1")).hasMessageContaining("reserved for internal use");
    }

    @Test
    void transferKnobsAndShutdownTimeoutAndFeatures() throws Exception {
        var e = parse("", "--max-concurrent-downloads", "7", "--max-concurrent-uploads", "2", "--max-download-attempts", "9",
                "--shutdown-timeout", "3").engine();
        assertThat(e).extracting(EngineSettings::maxConcurrentDownloads, EngineSettings::maxConcurrentUploads,
                EngineSettings::maxDownloadAttempts, EngineSettings::shutdownTimeout).containsExactly(7, 2, 9, 3);
        var j = parse("{\"max-concurrent-downloads\":1,\"max-concurrent-uploads\":0,\"shutdown-timeout\":30,"
                + "\"features\":{\"buildkit\":false,\"containerd-snapshotter\":true}}").engine();
        assertThat(j.maxConcurrentDownloads()).isEqualTo(1);
        assertThat(j.maxConcurrentUploads()).isEqualTo(5);
        assertThat(j.shutdownTimeout()).isEqualTo(30);
        assertThat(j.features()).isEqualTo(Map.of("buildkit", false, "containerd-snapshotter", true));
        assertThatThrownBy(() -> parse("", "--max-concurrent-downloads", "-10")).hasMessage("invalid max concurrent downloads: -10");
        assertThatThrownBy(() -> parse("", "--max-concurrent-uploads", "-1")).hasMessage("invalid max concurrent uploads: -1");
        assertThatThrownBy(() -> parse("", "--max-download-attempts", "0")).hasMessage("invalid max download attempts: 0");
        assertThatThrownBy(() -> parse("{\"features\":{\"buildkit\":\"yes\"}}")).hasMessageContaining("features");
        assertThatThrownBy(() -> parse("{\"shutdown-timeout\":\"10s\"}")).hasMessageContaining("expected an integer");
        // features is JSON only, as in dockerd
        assertThatThrownBy(() -> parse("", "--features", "buildkit=true")).isInstanceOf(BerthException.class);
    }

    @Test
    void aRealWorldDaemonJsonLoads() throws Exception {
        var p = DaemonOptions.parse(withFile("""
                {
                  "exec-opts": ["native.cgroupdriver=systemd"],
                  "log-driver": "json-file",
                  "log-opts": {"max-size": "100m"},
                  "storage-driver": "overlay2",
                  "default-address-pools": [{"base": "10.201.0.0/16", "size": 24}],
                  "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 65536, "Soft": 65536}},
                  "live-restore": true,
                  "userland-proxy": false,
                  "no-new-privileges": true,
                  "icc": false,
                  "features": {"buildkit": true},
                  "experimental": false,
                  "max-concurrent-downloads": 10,
                  "group": "docker"
                }
                """));
        assertThat(p.config().engine().maxConcurrentDownloads()).isEqualTo(10);
        assertThat(p.config().networkDefaults().icc()).isFalse();
        assertThat(p.warnings()).noneMatch(w -> w.contains("accepted but ignored"));
    }
}
