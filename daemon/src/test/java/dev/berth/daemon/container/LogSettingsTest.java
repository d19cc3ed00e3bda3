package dev.berth.daemon.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.HostConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogSettingsTest {
    @Test
    void boundedByDefaultAndSpoolNeverSmallerThanWhatTheLogKeeps() {
        LogSettings s = LogSettings.of(null, null, null);
        assertThat(s.driver()).isEqualTo("json-file");
        assertThat(s.rotation().maxSize()).isEqualTo(10L << 20);
        assertThat(s.rotation().maxFiles()).isEqualTo(3);
        assertThat(s.rotation().compress()).isFalse();
        assertThat(s.spoolMaxSize()).isEqualTo(30L << 20);
        LogSettings tiny = LogSettings.of(new HostConfig.LogConfig("", Map.of("max-size", "1k", "max-file", "2")), null, null);
        assertThat(tiny.spoolMaxSize()).isEqualTo(LogSettings.MIN_SPOOL);
        LogSettings unbounded = LogSettings.of(new HostConfig.LogConfig("json-file", Map.of("max-size", "-1")), null, null);
        assertThat(unbounded.rotation().bounded()).isFalse();
        assertThat(unbounded.spoolMaxSize()).isZero();
    }

    @Test
    void daemonOptionsApplyOnlyToTheDaemonsDefaultDriver() {
        Map<String, String> daemon = Map.of("max-size", "5m", "compress", "true");
        assertThat(LogSettings.of(null, "json-file", daemon).rotation().maxSize()).isEqualTo(5L << 20);
        assertThat(LogSettings.of(null, "json-file", daemon).rotation().compress()).isTrue();
        LogSettings other = LogSettings.of(new HostConfig.LogConfig("local", Map.of()), "json-file", daemon);
        assertThat(other.rotation().maxSize()).isEqualTo(10L << 20);
        assertThat(LogSettings.of(null, "none", null).discards()).isTrue();
    }

    @Test
    void attrsPickLabelsAndEnvSortedByName() {
        LogSettings s = LogSettings.of(new HostConfig.LogConfig("json-file",
                Map.of("labels", "team,missing", "env", "REGION", "env-regex", "^APP_")), null, null);
        Map<String, String> attrs = s.attrs(Map.of("team", "a", "other", "x"), List.of("REGION=eu", "APP_MODE=prod", "PATH=/bin"));
        assertThat(attrs).containsExactly(Map.entry("APP_MODE", "prod"), Map.entry("REGION", "eu"), Map.entry("team", "a"));
    }
}
