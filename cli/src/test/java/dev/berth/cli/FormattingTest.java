package dev.berth.cli;

import dev.berth.common.HumanUnits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.model.ContainerSummary;
import dev.berth.common.BerthException;
import dev.berth.common.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class FormattingTest {
    @Test
    void tableMatchesDockerTabwriter() {
        // Output of docker 28 `docker ps` with these values.
        List<String> lines = new Table().line("CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES")
                .render();
        assertThat(lines.getFirst()).isEqualTo("CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES");
    }

    @Test
    void psRowsAsDocker() {
        var c = new ContainerSummary("0123456789abcdef", List.of("/web"), "busybox", null, "httpd -f -p 80 -h /var/www",
                // minutes, not seconds: a slow machine crossing a second boundary must not change the text
                java.time.Instant.now().minusSeconds(600).getEpochSecond(),
                List.of(new ContainerSummary.Port("127.0.0.1", 80, 8080, "tcp")), null, null, Map.of(), "running",
                "Up 4 seconds", null, null, null);
        Template t = new Template(PsCmd.DEFAULT_FORMAT.substring(6));
        String row = t.render(PsCmd.context(c, false));
        assertThat(row).isEqualTo("0123456789ab\tbusybox\t\"httpd -f -p 80 -h /…\"\t10 minutes ago\tUp 4 seconds\t"
                + "127.0.0.1:8080->80/tcp\tweb");
        assertThat(PsCmd.header("{{.ID}}\t{{.Names}}")).isEqualTo("CONTAINER ID\tNAMES");
    }

    @Test
    void humanDurations() {
        assertThat(HumanUnits.humanDuration(Duration.ofMillis(300))).isEqualTo("Less than a second");
        assertThat(HumanUnits.humanDuration(Duration.ofSeconds(59))).isEqualTo("59 seconds");
        assertThat(HumanUnits.humanDuration(Duration.ofSeconds(61))).isEqualTo("About a minute");
        assertThat(HumanUnits.humanDuration(Duration.ofHours(3))).isEqualTo("3 hours");
        assertThat(HumanUnits.humanDuration(Duration.ofDays(3))).isEqualTo("3 days");
        assertThat(Fmt.humanSize(4_261_000)).isEqualTo("4.26MB");
        assertThat(Fmt.humanSize(0)).isEqualTo("0B");
    }

    @Test
    void templatesEvaluatePathsJsonAndIndex() {
        var node = Json.mapper().readTree("{\"State\":{\"Status\":\"running\",\"Pid\":3},\"Config\":{\"Labels\":{\"a\":\"b\"}}}");
        assertThat(new Template("{{.State.Status}} {{.State.Pid}}").render(node)).isEqualTo("running 3");
        assertThat(new Template("{{json .Config.Labels}}").render(node)).isEqualTo("{\"a\":\"b\"}");
        assertThat(new Template("{{index .Config.Labels \"a\"}}").render(node)).isEqualTo("b");
        var nested = Map.of("Server", new dev.berth.api.model.Volume("v", "local", null, null, null, null, null, null, null));
        assertThat(new Template("{{.Server.Name}} {{.Server.Driver}} {{.Missing}}").render(nested)).isEqualTo("v local <no value>");
    }

    @Test
    void unitsAndPorts() {
        assertThat(Units.ramInBytes("1k")).isEqualTo(1024);
        assertThat(Units.ramInBytes("6m")).isEqualTo(6L << 20);
        assertThat(Units.ramInBytes("1.5g")).isEqualTo(3L << 29);
        assertThat(Units.nanoCpus("0.5")).isEqualTo(500_000_000L);
        ObjectNode exposed = Json.mapper().createObjectNode();
        ObjectNode bindings = Json.mapper().createObjectNode();
        Ports.parse("127.0.0.1:8080:80", exposed, bindings);
        Ports.parse("53/udp", exposed, bindings);
        assertThat(bindings.toString()).isEqualTo("{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8080\"}],"
                + "\"53/udp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}]}");
        assertThatThrownBy(() -> Ports.parse("abc", exposed, bindings)).isInstanceOf(BerthException.class)
                .hasMessage("invalid containerPort: abc");
    }

    @Test
    void restartPolicies() {
        assertThat(SpecBuilder.restartPolicy("on-failure:2", false).toString()).isEqualTo("{\"Name\":\"on-failure\",\"MaximumRetryCount\":2}");
        assertThatThrownBy(() -> SpecBuilder.restartPolicy("always", true)).hasMessageContaining("--restart and --rm");
    }

    @Test
    void imageReferences() {
        assertThat(ImageRef.parse("busybox")).isEqualTo(new ImageRef("docker.io/library/busybox", "latest"));
        assertThat(ImageRef.parse("localhost:5000/a/b:1")).isEqualTo(new ImageRef("localhost:5000/a/b", "1"));
        assertThat(ImageRef.parse("busybox").familiar()).isEqualTo("busybox:latest");
    }

    @Test
    void goJsonIndent() {
        var n = Json.mapper().readTree("[{\"A\":[],\"B\":{},\"C\":\"<x>\",\"D\":[1,2]}]");
        assertThat(GoJson.indent(n)).isEqualTo("[\n    {\n        \"A\": [],\n        \"B\": {},\n        \"C\": \"\\u003cx\\u003e\",\n"
                + "        \"D\": [\n            1,\n            2\n        ]\n    }\n]");
    }

    @Test
    void commandNameSkipsGlobalOptions() {
        assertThat(Main.commandName(new String[] {"-H", "unix:///x", "--debug", "ps", "-a"})).isEqualTo("ps");
    }
}
