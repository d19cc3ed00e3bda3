package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.ContainerSummary;
import dev.berth.common.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FastPathTest {
    private static final String PS = "[{\"Id\":\"0123456789abcdef\",\"Names\":[\"/web\"],\"Image\":\"busybox\","
            + "\"Command\":\"httpd -f\",\"Created\":1700000000,\"Ports\":[{\"IP\":\"127.0.0.1\",\"PrivatePort\":80,"
            + "\"PublicPort\":8080,\"Type\":\"tcp\"},{\"PrivatePort\":53,\"Type\":\"udp\"}],\"Labels\":{\"a\":\"b\"},"
            + "\"State\":\"running\",\"Status\":\"Up 2 seconds\",\"NetworkSettings\":{\"Networks\":{\"bridge\":{}}},"
            + "\"Mounts\":[{\"Type\":\"volume\",\"Name\":\"v\",\"RW\":true}]}]";

    @Test
    void miniJsonDecodesToTheSameRecordsAsJackson() {
        List<?> rows = (List<?>) MiniJson.parse(PS);
        ContainerSummary fast = FastPath.summary((Map<?, ?>) rows.getFirst());
        ContainerSummary jackson = Json.mapper().readValue(PS.substring(1, PS.length() - 1), ContainerSummary.class);
        assertThat(PsCmd.context(fast, false)).isEqualTo(PsCmd.context(jackson, false));
    }

    @Test
    void miniJsonRoundTripsWithGoEscaping() {
        Object v = MiniJson.parse("{\"a\":[1,2.5,true,null,\"x<y\"],\"b\":{}}");
        assertThat(MiniJson.write(v)).isEqualTo("{\"a\":[1,2.5,true,null,\"x\\u003cy\"],\"b\":{}}");
    }

    @Test
    void versionFromMiniJson() {
        var v = FastPath.version(MiniJson.parse("{\"Version\":\"1\",\"ApiVersion\":\"1.50\",\"Components\":"
                + "[{\"Name\":\"Engine\",\"Version\":\"1\",\"Details\":{\"GitCommit\":\"abc\"}}]}"));
        assertThat(v.version()).isEqualTo("1");
        assertThat(v.components().getFirst().details()).containsEntry("GitCommit", "abc");
    }
}
