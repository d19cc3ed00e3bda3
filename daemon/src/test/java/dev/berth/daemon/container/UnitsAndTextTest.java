package dev.berth.daemon.container;

import dev.berth.common.HumanUnits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.backend.ContainerBackend.LogsOptions;
import dev.berth.api.model.ContainerConfig;
import dev.berth.api.model.HostConfig;
import dev.berth.common.Json;
import dev.berth.image.ImageRuntimeConfig;
import dev.berth.runtime.RuntimeDriver;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UnitsAndTextTest {
    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    @Test
    void humanDurations() {
        assertThat(HumanUnits.humanDuration(Duration.ofMillis(500))).isEqualTo("Less than a second");
        assertThat(HumanUnits.humanDuration(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(HumanUnits.humanDuration(Duration.ofSeconds(3))).isEqualTo("3 seconds");
        assertThat(HumanUnits.humanDuration(Duration.ofSeconds(61))).isEqualTo("About a minute");
        assertThat(HumanUnits.humanDuration(Duration.ofMinutes(2))).isEqualTo("2 minutes");
        assertThat(HumanUnits.humanDuration(Duration.ofMinutes(70))).isEqualTo("About an hour");
        assertThat(HumanUnits.humanDuration(Duration.ofHours(5))).isEqualTo("5 hours");
        assertThat(HumanUnits.humanDuration(Duration.ofDays(3))).isEqualTo("3 days");
        assertThat(Units.ramInBytes("10m")).isEqualTo(10L << 20);
        assertThat(Units.ramInBytes("1.5k")).isEqualTo(1536);
        assertThat(Units.ramInBytes("x")).isEqualTo(-1);
    }

    @Test
    void statusStrings() {
        var s = new ContainerRecord.StateRecord();
        assertThat(StatusText.status(s, NOW)).isEqualTo("Created");
        assertThat(StatusText.state(s)).isEqualTo("created");
        s.running = true;
        s.startedAt = "2024-05-01T11:59:57Z";
        assertThat(StatusText.status(s, NOW)).isEqualTo("Up 3 seconds");
        s.paused = true;
        assertThat(StatusText.status(s, NOW)).isEqualTo("Up 3 seconds (Paused)");
        assertThat(StatusText.state(s)).isEqualTo("paused");
        s.paused = false;
        s.health = new ContainerRecord.HealthRecord();
        assertThat(StatusText.status(s, NOW)).isEqualTo("Up 3 seconds (health: starting)");
        s.health.status = "healthy";
        s.startedAt = "2024-05-01T11:58:00Z";
        assertThat(StatusText.status(s, NOW)).isEqualTo("Up 2 minutes (healthy)");
        s.running = false;
        s.exitCode = 0;
        s.finishedAt = "2024-05-01T11:57:59.5Z";
        assertThat(StatusText.status(s, NOW)).isEqualTo("Exited (0) 2 minutes ago");
        assertThat(StatusText.state(s)).isEqualTo("exited");
        assertThat(StatusText.command("sh", List.of("-c", "echo hi"))).isEqualTo("sh -c 'echo hi'");
    }

    @Test
    void rfc3339() {
        assertThat(Times.rfc3339Nano(Instant.parse("2024-05-01T12:00:00Z"))).isEqualTo("2024-05-01T12:00:00Z");
        assertThat(Times.rfc3339Nano(Instant.parse("2024-05-01T12:00:00.120Z"))).isEqualTo("2024-05-01T12:00:00.12Z");
        assertThat(Times.rfc3339NanoFixed(Instant.parse("2024-05-01T12:00:00.120Z"))).isEqualTo("2024-05-01T12:00:00.120000000Z");
        assertThat(Times.isZero(Times.ZERO)).isTrue();
    }

    @Test
    void detachKeys() {
        assertThat(DetachKeys.parse(null)).containsExactly(16, 17);
        assertThat(DetachKeys.parse("ctrl-a,b")).containsExactly(1, 'b');
        assertThat(DetachKeys.parse("ctrl-@,ctrl-_")).containsExactly(0, 31);
        assertThatThrownBy(() -> DetachKeys.parse("ctrl-1")).hasMessage("Invalid escape keys (ctrl-1) provided");
        assertThatThrownBy(() -> DetachKeys.parse("abc")).hasMessage("Invalid escape keys (abc) provided");

        var m = new DetachKeys.Matcher(DetachKeys.DEFAULT);
        var out = new ByteArrayOutputStream();
        assertThat(m.feed(new byte[] {'a', 16, 'b'}, 3, out)).isFalse();
        assertThat(out.toByteArray()).containsExactly('a', 16, 'b');
        out.reset();
        assertThat(m.feed(new byte[] {'x', 16}, 2, out)).isFalse();
        assertThat(out.toByteArray()).containsExactly('x'); // held back: may start the sequence
        out.reset();
        assertThat(m.feed(new byte[] {17, 'y'}, 2, out)).isTrue();
        assertThat(out.size()).isZero();
    }

    @Test
    void restartBackoff() {
        var b = new RestartPolicy.Backoff();
        assertThat(b.next(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(100));
        assertThat(b.next(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(200));
        assertThat(b.next(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(400));
        for (int i = 0; i < 20; i++) {
            b.next(Duration.ZERO);
        }
        assertThat(b.next(Duration.ZERO)).isEqualTo(Duration.ofMinutes(1));
        assertThat(b.next(Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(100));
        var onFailure = new HostConfig.RestartPolicy("on-failure", 2);
        assertThat(RestartPolicy.shouldRestart(onFailure, 1, false, 1)).isTrue();
        assertThat(RestartPolicy.shouldRestart(onFailure, 1, false, 2)).isFalse();
        assertThat(RestartPolicy.shouldRestart(onFailure, 0, false, 0)).isFalse();
        assertThat(RestartPolicy.shouldRestart(new HostConfig.RestartPolicy("always", 0), 0, true, 0)).isFalse();
        assertThat(RestartPolicy.shouldRestart(new HostConfig.RestartPolicy("unless-stopped", 0), 0, false, 9)).isTrue();
        assertThatThrownBy(() -> CreateValidator.validateRestartPolicy(new HostConfig.RestartPolicy("always", 3)))
                .hasMessage("invalid restart policy: maximum retry count can only be used with 'on-failure'");
        assertThatThrownBy(() -> CreateValidator.validateRestartPolicy(new HostConfig.RestartPolicy("on-failure", -1)))
                .hasMessage("invalid restart policy: maximum retry count cannot be negative");
    }

    @Test
    void signals() {
        assertThat(Signals.parse("KILL", 15)).isEqualTo(9);
        assertThat(Signals.parse("SIGHUP", 15)).isEqualTo(1);
        assertThat(Signals.parse("10", 15)).isEqualTo(10);
        assertThat(Signals.parse(null, 15)).isEqualTo(15);
        assertThatThrownBy(() -> Signals.parse("FOO", 15)).hasMessage("Invalid signal: FOO");
    }

    @Test
    void logFilter() {
        var e1 = new dev.berth.logger.LogMessage(1_000_000_000L, false, "a\n".getBytes());
        var e2 = new dev.berth.logger.LogMessage(2_000_000_000L, true, "b\n".getBytes());
        var e3 = new dev.berth.logger.LogMessage(3_000_000_000L, false, "c\n".getBytes());
        assertThat(LogsService.Filter.parseTail("2")).isEqualTo(2);
        assertThat(LogsService.Filter.parseTail("all")).isEqualTo(-1);
        assertThat(LogsService.Filter.parseTail("x")).isEqualTo(-1);
        var both = new LogsService.Filter(new LogsOptions(false, true, true, 0, 0, false, "2"));
        assertThat(both.apply(e2)).isEqualTo("b\n".getBytes());
        var onlyOut = new LogsService.Filter(new LogsOptions(false, true, false, 1.5, 0, true, "all"));
        assertThat(onlyOut.apply(e1)).isNull();
        assertThat(onlyOut.apply(e2)).isNull();
        assertThat(new String(onlyOut.apply(e3))).isEqualTo("1970-01-01T00:00:03.000000000Z c\n");
        var until = new LogsService.Filter(new LogsOptions(false, true, true, 0, 2, false, "all"));
        assertThat(until.apply(e3)).isNull();
        assertThat(until.pastUntil(e3)).isTrue();
        var details = new LogsService.Filter(new LogsOptions(false, true, true, 0, 0, true, "all", true));
        var tagged = new dev.berth.logger.LogMessage(3_000_000_000L, false, "d\n".getBytes(),
                Map.of("team", "a b", "com.x", "1*~"));
        assertThat(new String(details.apply(tagged))).isEqualTo("1970-01-01T00:00:03.000000000Z com.x=1%2A~,team=a+b d\n");
        assertThat(new String(new LogsService.Filter(new LogsOptions(false, true, true, 0, 0, false, "all", true)).apply(e1)))
                .isEqualTo(" a\n");
    }

    @Test
    void mergeRules() {
        var img = new ImageRuntimeConfig("u", Set.of("80/tcp"), List.of("A=1", "B=2"), List.of("/ep"), List.of("c1"), null, "/w",
                Map.of("l", "img"), null, null, null, null, null);
        ContainerConfig user = Json.mapper().convertValue(Map.of("Image", "x", "Env", List.of("B=3"), "Entrypoint", List.of("/other")), ContainerConfig.class);
        var m = ConfigMerger.merge(user, img, "x");
        assertThat(m.env()).containsExactly("B=3", "A=1");
        assertThat(m.entrypoint()).containsExactly("/other");
        assertThat(m.cmd()).isNull(); // --entrypoint resets the image's Cmd
        ContainerConfig reset = Json.mapper().convertValue(Map.of("Image", "x", "Entrypoint", List.of(""), "Cmd", List.of("ls")), ContainerConfig.class);
        var r = ConfigMerger.merge(reset, img, "x");
        assertThat(ConfigMerger.commandLine(r)).containsExactly("ls");
        ContainerConfig plain = Json.mapper().convertValue(Map.of("Image", "x"), ContainerConfig.class);
        assertThat(ConfigMerger.commandLine(ConfigMerger.merge(plain, img, "x"))).containsExactly("/ep", "c1");
        ContainerConfig none = Json.mapper().convertValue(Map.of("Image", "x"), ContainerConfig.class);
        assertThatThrownBy(() -> ConfigMerger.commandLine(ConfigMerger.merge(none, null, "x"))).hasMessage("no command specified");
    }

    @Test
    void mountParsing() {
        assertThat(MountPlanner.parseBind("/host:/ctr:ro")).satisfies(m -> {
            assertThat(m.type()).isEqualTo("bind");
            assertThat(m.rw()).isFalse();
            assertThat(m.propagation()).isEqualTo("rprivate");
        });
        assertThat(MountPlanner.parseBind("vol:/data").type()).isEqualTo("volume");
        assertThat(MountPlanner.parseBind("/data").anonymous()).isTrue();
        assertThatThrownBy(() -> MountPlanner.parseBind("vol:rel"))
                .hasMessageContaining("mount path must be absolute");
        assertThatThrownBy(() -> MountPlanner.parseBind("b@d:/x")).hasMessageContaining("includes invalid characters for a local volume name");
        HostConfig hc = Json.mapper().convertValue(Map.of("Binds", List.of("/a:/x", "vv:/x")), HostConfig.class);
        ContainerConfig cfg = Json.mapper().convertValue(Map.of("Image", "x"), ContainerConfig.class);
        assertThatThrownBy(() -> MountPlanner.plan(cfg, hc)).hasMessage("Duplicate mount point: /x");
        HostConfig tm = Json.mapper().convertValue(Map.of("Tmpfs", Map.of("/run", "size=64m")), HostConfig.class);
        assertThat(MountPlanner.plan(cfg, tm).getFirst().options()).contains("size=64m", "noexec");
    }

    @Test
    void securityOpts() {
        var s = SecurityOpts.parse(List.of("seccomp=unconfined", "no-new-privileges", "label=disable"));
        assertThat(s.seccomp()).isEqualTo(dev.berth.runtime.RuntimeContainerSpec.SeccompMode.UNCONFINED);
        assertThat(s.noNewPrivileges()).isTrue();
        assertThat(SecurityOpts.parse(List.of("seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\"}")).seccompProfile()).startsWith("{");
        assertThatThrownBy(() -> SecurityOpts.parse(List.of("bogus"))).hasMessage("invalid --security-opt 1: \"bogus\"");
    }

    @Test
    void resources() {
        HostConfig hc = Json.mapper().convertValue(Map.of("NanoCpus", 1_500_000_000L, "Memory", 64L << 20), HostConfig.class);
        var r = SpecAssembler.resources(hc);
        assertThat(r.cpuQuota()).isEqualTo(150_000L);
        assertThat(r.cpuPeriod()).isEqualTo(100_000L);
        assertThat(r.memory()).isEqualTo(64L << 20);
    }

    @Test
    void pruneUntil() {
        assertThat(PruneFilters.until("10m", NOW)).isEqualTo(NOW.minusSeconds(600));
        assertThat(PruneFilters.until("1h30m", NOW)).isEqualTo(NOW.minusSeconds(5400));
        assertThat(PruneFilters.until("1700000000", NOW)).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
    }
}
