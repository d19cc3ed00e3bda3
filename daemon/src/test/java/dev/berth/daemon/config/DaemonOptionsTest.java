package dev.berth.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonOptionsTest {
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

    @Test
    void defaultsWithoutFlags() throws Exception {
        DaemonConfig c = DaemonOptions.parse(withFile("{}")).config();
        assertThat(c.hosts()).containsExactly("unix:///run/berth/berth.sock");
        assertThat(c.dataRoot()).isEqualTo(Path.of("/var/lib/berth"));
        assertThat(c.execRoot()).isEqualTo(Path.of("/run/berth"));
        assertThat(c.pidFile()).isEqualTo(Path.of("/run/berth/berthd.pid"));
        assertThat(c.logLevel()).isEqualTo("info");
        assertThat(c.logDriver()).isEqualTo("json-file");
        assertThat(c.defaultBindAddress()).isEqualTo("0.0.0.0");
        assertThat(c.iptables()).isTrue();
        assertThat(c.tls()).isFalse();
        assertThat(c.liveRestore()).isTrue();
    }

    @Test
    void flagsAreParsed() throws Exception {
        var p = DaemonOptions.parse(withFile("", "-H", "unix:///tmp/a.sock", "-H", "/tmp/b.sock", "--data-root", "/d", "--exec-root", "/e",
                "-p", "/p.pid", "--default-runtime", "crun", "-D", "--log-opt", "max-size=10m", "--log-opt", "max-file=3",
                "--dns", "1.1.1.1", "--insecure-registry", "r:5000", "--registry-mirror", "https://m", "--bip", "172.30.0.1/16",
                "--ip", "127.0.0.1", "--iptables=false", "--userns-remap", "default", "--cgroup-parent", "/berth"));
        DaemonConfig c = p.config();
        assertThat(c.hosts()).containsExactly("unix:///tmp/a.sock", "unix:///tmp/b.sock");
        assertThat(c.dataRoot()).isEqualTo(Path.of("/d"));
        assertThat(c.execRoot()).isEqualTo(Path.of("/e"));
        assertThat(c.pidFile()).isEqualTo(Path.of("/p.pid"));
        assertThat(c.defaultRuntime()).isEqualTo("crun");
        assertThat(c.debug()).isTrue();
        assertThat(c.logLevel()).isEqualTo("debug");
        assertThat(c.logOpts()).containsEntry("max-size", "10m").containsEntry("max-file", "3");
        assertThat(c.dns()).containsExactly("1.1.1.1");
        assertThat(c.insecureRegistries()).containsExactly("r:5000");
        assertThat(c.registryMirrors()).containsExactly("https://m");
        assertThat(c.bridgeIp()).isEqualTo("172.30.0.1/16");
        assertThat(c.defaultBindAddress()).isEqualTo("127.0.0.1");
        assertThat(c.iptables()).isFalse();
        assertThat(c.usernsRemap()).isEqualTo("default");
        assertThat(c.usernsRemapped()).isTrue();
        assertThat(c.cgroupParent()).isEqualTo("/berth");
    }

    @Test
    void configFileKeysAreRead() throws Exception {
        DaemonConfig c = DaemonOptions.parse(withFile("""
                {"hosts":["unix:///tmp/x.sock"],"data-root":"/dr","log-level":"warn","log-opts":{"max-size":"1m"},
                 "dns":["8.8.8.8"],"insecure-registries":["a:1"],"registry-mirrors":["https://b"],"debug":false,
                 "default-runtime":"runc","bip":"10.9.0.1/24","ip":"127.0.0.1","iptables":true}
                """)).config();
        assertThat(c.hosts()).containsExactly("unix:///tmp/x.sock");
        assertThat(c.dataRoot()).isEqualTo(Path.of("/dr"));
        assertThat(c.logLevel()).isEqualTo("warn");
        assertThat(c.logOpts()).containsEntry("max-size", "1m");
        assertThat(c.dns()).containsExactly("8.8.8.8");
        assertThat(c.defaultRuntime()).isEqualTo("runc");
        assertThat(c.bridgeIp()).isEqualTo("10.9.0.1/24");
    }

    @Test
    void sameSettingBothWaysIsAnErrorLikeDockerd() throws Exception {
        assertThatThrownBy(() -> DaemonOptions.parse(withFile("{\"hosts\":[\"unix:///a\"],\"data-root\":\"/x\"}", "-H", "unix:///b", "--data-root", "/y")))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("the following directives are specified both as a flag and in the configuration file: ")
                .hasMessageContaining("hosts: (from flag: [unix:///b], from file: [unix:///a])")
                .hasMessageContaining("data-root: (from flag: /y, from file: /x)");
    }

    @Test
    void unknownFileKeysAreRejectedButDockerOnlyKeysAreWarned() throws Exception {
        assertThatThrownBy(() -> DaemonOptions.parse(withFile("{\"bogus-key\":1}")))
                .hasMessageContaining("the following directives don't match any configuration option: bogus-key");
        var p = DaemonOptions.parse(withFile("{\"storage-opts\":[\"overlay2.size=1G\"]}"));
        assertThat(p.warnings()).anyMatch(w -> w.contains("storage-opts"));
    }

    @Test
    void missingDefaultConfigFileIsFineButExplicitMissingIsNot() {
        assertThatThrownBy(() -> DaemonOptions.parse("--config-file", tmp.resolve("nope.json").toString()))
                .hasMessageContaining("no such file or directory");
    }

    @Test
    void plainTcpNeedsExplicitTlsFalseAndWarnsLoudly() throws Exception {
        assertThatThrownBy(() -> DaemonOptions.parse(withFile("", "-H", "tcp://0.0.0.0:2375")))
                .hasMessageContaining("without TLS").hasMessageContaining("--tls=false");
        var p = DaemonOptions.parse(withFile("", "-H", "tcp://127.0.0.1:2375", "--tls=false"));
        assertThat(p.config().hosts()).containsExactly("tcp://127.0.0.1:2375");
        assertThat(p.warnings()).anyMatch(w -> w.contains("SECURITY WARNING") && w.contains("127.0.0.1:2375"));
    }

    @Test
    void tlsVerifyImpliesTlsAndNeedsFiles() throws Exception {
        assertThatThrownBy(() -> DaemonOptions.parse(withFile("", "-H", "tcp://:2376", "--tlsverify")))
                .hasMessageContaining("--tlscert");
        var c = DaemonOptions.parse(withFile("", "-H", "tcp://", "--tlsverify", "--tlscacert", "/ca", "--tlscert", "/c", "--tlskey", "/k")).config();
        assertThat(c.tls()).isTrue();
        assertThat(c.tlsVerify()).isTrue();
        assertThat(c.hosts()).containsExactly("tcp://0.0.0.0:2376");
    }

    @Test
    void badValuesUseDockerdWording() throws Exception {
        assertThatThrownBy(() -> DaemonOptions.parse(withFile("", "-l", "loud"))).hasMessage("unable to parse logging level: loud");
        assertThatThrownBy(() -> DaemonOptions.parse(withFile("", "--default-runtime", "kata"))).hasMessage("default runtime kata does not exist");
        assertThatThrownBy(() -> DaemonOptions.parse(withFile("", "--no-such-flag"))).isInstanceOf(BerthException.class);
        assertThatThrownBy(() -> DaemonOptions.parse(withFile("{\"hosts\":\"x\"}"))).hasMessageContaining("hosts");
    }

    @Test
    void helpAndVersion() {
        assertThat(DaemonOptions.parse("--help").printAndExit()).contains("--data-root");
        assertThat(DaemonOptions.parse("--version").printAndExit()).contains(DaemonOptions.VERSION);
    }

    @Test
    void hostNormalization() {
        assertThat(HostAddresses.normalize(List.of("", "unix://", "tcp://:2375", "tcp://10.0.0.1", "localhost:9999"), false))
                .containsExactly("unix:///run/berth/berth.sock", "tcp://0.0.0.0:2375", "tcp://10.0.0.1:2375", "tcp://localhost:9999");
        assertThatThrownBy(() -> HostAddresses.normalize("tcp://x:99999", false)).hasMessageContaining("invalid bind address");
        assertThatThrownBy(() -> HostAddresses.normalize("fd://", false)).hasMessageContaining("fd://");
    }
}
