package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.image.ContainerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeParserTest {
    private static ContainerConfig apply(String... changes) {
        return ChangeParser.apply(null, List.of(changes));
    }

    @Test
    void cmdAndEntrypointForms() {
        assertThat(apply("CMD [\"/bin/sh\",\"-c\",\"echo hi\"]").cmd()).containsExactly("/bin/sh", "-c", "echo hi");
        assertThat(apply("CMD echo hi").cmd()).containsExactly("/bin/sh", "-c", "echo hi");
        assertThat(apply("cmd [\"a\"]", "ENTRYPOINT [\"e\"]").cmd()).containsExactly("a");
        ContainerConfig c = apply("ENTRYPOINT top -b");
        assertThat(c.entrypoint()).containsExactly("/bin/sh", "-c", "top -b");
        assertThat(c.cmd()).isNull();
        assertThat(apply("SHELL [\"/bin/bash\",\"-xc\"]", "CMD ls").cmd()).containsExactly("/bin/bash", "-xc", "ls");
    }

    @Test
    void envAndLabelForms() {
        ContainerConfig c = apply("ENV A=1 B=\"two words\"", "ENV C three words", "ENV A=x", "LABEL k=v \"q k\"=w", "LABEL old style");
        assertThat(c.env()).containsExactly("A=x", "B=two words", "C=three words");
        assertThat(c.labels()).containsExactly(Map.entry("k", "v"), Map.entry("q k", "w"), Map.entry("old", "style"));
    }

    @Test
    void exposeVolumeUserWorkdirStopSignalOnbuild() {
        ContainerConfig c = apply("EXPOSE 80 53/udp 8000-8001", "VOLUME /data /logs", "VOLUME [\"/x\"]", "USER nobody:nogroup",
                "WORKDIR /app", "WORKDIR sub", "STOPSIGNAL SIGINT", "ONBUILD run echo hi");
        assertThat(c.exposedPorts()).containsOnlyKeys("80/tcp", "53/udp", "8000/tcp", "8001/tcp");
        assertThat(c.volumes()).containsOnlyKeys("/data", "/logs", "/x");
        assertThat(c.user()).isEqualTo("nobody:nogroup");
        assertThat(c.workingDir()).isEqualTo("/app/sub");
        assertThat(c.stopSignal()).isEqualTo("SIGINT");
        assertThat(c.onBuild()).containsExactly("RUN echo hi");
    }

    @Test
    void healthcheck() {
        var h = apply("HEALTHCHECK --interval=5s --timeout=1m30s --retries=3 --start-period=100ms CMD curl -f http://x/").healthcheck();
        assertThat(h.test()).containsExactly("CMD-SHELL", "curl -f http://x/");
        assertThat(h.interval()).isEqualTo(5_000_000_000L);
        assertThat(h.timeout()).isEqualTo(90_000_000_000L);
        assertThat(h.startPeriod()).isEqualTo(100_000_000L);
        assertThat(h.retries()).isEqualTo(3);
        assertThat(apply("HEALTHCHECK CMD [\"true\"]").healthcheck().test()).containsExactly("CMD", "true");
        assertThat(apply("HEALTHCHECK NONE").healthcheck().test()).containsExactly("NONE");
        assertThatThrownBy(() -> apply("HEALTHCHECK --interval=xs CMD true")).hasMessageContaining("invalid duration");
    }

    @Test
    void rejectsUnknownAndMalformed() {
        assertThatThrownBy(() -> apply("RUN echo")).hasMessage("RUN is not a valid change command");
        assertThatThrownBy(() -> apply("SHELL /bin/sh")).hasMessageContaining("JSON form");
        assertThatThrownBy(() -> apply("ENV A=\"unterminated")).hasMessageContaining("matching");
        assertThatThrownBy(() -> apply("EXPOSE 80/foo")).hasMessageContaining("invalid proto");
        assertThatThrownBy(() -> apply("ONBUILD ONBUILD RUN x")).hasMessageContaining("Chaining ONBUILD");
    }

    @Test
    void goDurations() {
        assertThat(GoDuration.parseNanos("1h2m3s")).isEqualTo(3_723_000_000_000L);
        assertThat(GoDuration.parseNanos("1.5s")).isEqualTo(1_500_000_000L);
        assertThat(GoDuration.parseNanos("0")).isZero();
    }
}
