package dev.berth.daemon.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.HostConfig;
import dev.berth.logger.LogFormat;
import dev.berth.logger.RotationPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogSettingsTest {
    @Test
    void boundedByDefaultAndSpoolNeverSmallerThanWhatTheLogKeeps() {
        LogSettings s = LogSettings.of(null, null, null);
        assertThat(s.driver()).isEqualTo("json-file");
        assertThat(s.rotation().maxSize()).isEqualTo(10_000_000L); // decimal, as dockerd's json-file
        assertThat(s.rotation().maxFiles()).isEqualTo(3);
        assertThat(s.rotation().compress()).isFalse();
        assertThat(s.spoolMaxSize()).isEqualTo(30_000_000L);
        LogSettings tiny = LogSettings.of(new HostConfig.LogConfig("", Map.of("max-size", "1k", "max-file", "2")), null, null);
        assertThat(tiny.spoolMaxSize()).isEqualTo(LogSettings.MIN_SPOOL);
        LogSettings unbounded = LogSettings.of(new HostConfig.LogConfig("json-file", Map.of("max-size", "-1")), null, null);
        assertThat(unbounded.rotation().bounded()).isFalse();
        assertThat(unbounded.spoolMaxSize()).isZero();
    }

    @Test
    void daemonOptionsApplyOnlyToTheDaemonsDefaultDriver() {
        Map<String, String> daemon = Map.of("max-size", "5m", "compress", "true");
        assertThat(LogSettings.of(null, "json-file", daemon).rotation().maxSize()).isEqualTo(5_000_000L);
        assertThat(LogSettings.of(null, "json-file", daemon).rotation().compress()).isTrue();
        LogSettings other = LogSettings.of(new HostConfig.LogConfig("local", Map.of()), "json-file", daemon);
        assertThat(other.rotation().maxSize()).isEqualTo(20L << 20); // the local driver's own default
        assertThat(LogSettings.of(null, "none", null).discards()).isTrue();
    }

    @Test
    void attrsPickLabelsAndEnvSortedByName() {
        LogSettings s = LogSettings.of(new HostConfig.LogConfig("json-file",
                Map.of("labels", "team,missing", "env", "REGION", "env-regex", "^APP_")), null, null);
        Map<String, String> attrs = s.attrs(Map.of("team", "a", "other", "x"), List.of("REGION=eu", "APP_MODE=prod", "PATH=/bin"));
        assertThat(attrs).containsExactly(Map.entry("APP_MODE", "prod"), Map.entry("REGION", "eu"), Map.entry("team", "a"));
    }

    @Test
    void localKeepsDockerdsDefaultsAndDecimalSizes() {
        LogSettings s = LogSettings.of(new HostConfig.LogConfig("local", Map.of()), "json-file", Map.of());
        assertThat(s.format()).isEqualTo(LogFormat.LOCAL);
        assertThat(s.rotation()).isEqualTo(new RotationPolicy(20L << 20, 5, true));
        LogSettings small = LogSettings.of(new HostConfig.LogConfig("local", Map.of("max-size", "10k", "max-file", "2", "compress", "false")), null, null);
        assertThat(small.rotation()).isEqualTo(new RotationPolicy(10_000, 2, false));
        // the daemon's default driver is local: its options apply, and a container's own win
        LogSettings byDaemon = LogSettings.of(new HostConfig.LogConfig("", Map.of("max-file", "3")), "local", Map.of("max-size", "1KiB"));
        assertThat(byDaemon.rotation()).isEqualTo(new RotationPolicy(1000, 3, true));
        assertThat(LogSettings.fromHumanSize("1.5m", "")).isEqualTo(1_500_000);
        assertThat(LogSettings.fromHumanSize("2 GB", "")).isEqualTo(2_000_000_000L);
        assertThat(LogSettings.fromHumanSize("7", "")).isEqualTo(7);
    }

    @Test
    void localOptionsThatDockerdRefusesFailTheStartWithItsMessage() {
        Map<String, String> cases = Map.of(
                "max-file=1", "compression cannot be enabled when max file count is 1",
                "max-size=abc", "invalid value for max-size: abc: invalid size: 'abc'",
                "max-size=10x", "invalid value for max-size: 10x: invalid suffix: 'x'",
                "max-size=-1", "invalid value for max-size: -1: invalid size: '-1'",
                "max-file=x", "invalid value for max-file: x: strconv.Atoi: parsing \"x\": invalid syntax",
                "compress=maybe", "error reading compress log option: strconv.ParseBool: parsing \"maybe\": invalid syntax");
        cases.forEach((opt, msg) -> {
            String[] kv = opt.split("=", 2);
            LogSettings s = LogSettings.of(new HostConfig.LogConfig("local", Map.of(kv[0], kv[1])), null, null);
            assertThat(s.startError()).as(opt).isEqualTo(msg);
            assertThat(s.rotation().maxFiles()).as(opt).isPositive(); // clamped: the start is refused, not the settings
        });
        LogSettings noCompression = LogSettings.of(new HostConfig.LogConfig("local", Map.of("max-file", "1", "compress", "false")), null, null);
        assertThat(noCompression.startError()).isNull();
        assertThat(noCompression.rotation().maxFiles()).isEqualTo(1);
    }

    @Test
    void theLocalLogLivesInLocalLogs() {
        ContainerStore store = new ContainerStore(java.nio.file.Path.of("/data"));
        ContainerRecord r = new ContainerRecord();
        r.id = "abc";
        r.logPath = "/data/containers/abc/abc-json.log";
        assertThat(LogSettings.of(new HostConfig.LogConfig("local", Map.of()), null, null).logFile(store, r))
                .isEqualTo(java.nio.file.Path.of("/data/containers/abc/local-logs/container.log"));
        assertThat(LogSettings.of(null, null, null).logFile(store, r)).isEqualTo(java.nio.file.Path.of(r.logPath));
    }
}
