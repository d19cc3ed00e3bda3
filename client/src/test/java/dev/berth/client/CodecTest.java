package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecTest {
    @Test
    void decodesChunkedBodies() throws Exception {
        String wire = "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n";
        var in = new ChunkedInputStream(new ByteArrayInputStream(wire.getBytes(StandardCharsets.US_ASCII)));
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello, world");
    }

    @Test
    void demultiplexesStdStreams() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        frame(wire, 1, "out1\n");
        frame(wire, 2, "err\n");
        frame(wire, 1, "out2\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StdFrames.demux(new ByteArrayInputStream(wire.toByteArray()), out, err);
        assertThat(out.toString()).isEqualTo("out1\nout2\n");
        assertThat(err.toString()).isEqualTo("err\n");
    }

    private static void frame(ByteArrayOutputStream w, int stream, String s) {
        byte[] p = s.getBytes(StandardCharsets.UTF_8);
        w.writeBytes(new byte[] {(byte) stream, 0, 0, 0, 0, 0, (byte) (p.length >> 8), (byte) p.length});
        w.writeBytes(p);
    }

    @Test
    void resolvesEngineAddressInDockerOrder() {
        assertThat(EngineAddress.resolve("unix:///a.sock", Map.of("DOCKER_HOST", "unix:///b"))).hasToString("unix:///a.sock");
        assertThat(EngineAddress.resolve(null, Map.of("BERTH_HOST", "unix:///c", "DOCKER_HOST", "unix:///b")))
                .hasToString("unix:///c");
        assertThat(EngineAddress.resolve(null, Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375"))).hasToString("tcp://127.0.0.1:2375");
        assertThat(EngineAddress.resolve(null, Map.of())).hasToString(EngineAddress.DEFAULT_HOST);
        assertThatThrownBy(() -> EngineAddress.parse("ftp://x")).isInstanceOf(BerthException.class);
    }

    @Test
    void mapsStatusToKind() {
        assertThat(BerthClient.kindOf(404)).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(BerthClient.kindOf(409)).isEqualTo(ErrorKind.CONFLICT);
        assertThat(BerthClient.kindOf(400)).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(BerthClient.kindOf(500)).isEqualTo(ErrorKind.INTERNAL);
        assertThat(BerthClient.compare("1.9", "1.10")).isNegative();
    }

    @Test
    void encodesQueriesAndFilters() {
        String q = Query.of().add("all", true).add("size", false).add("name", "a b").filters(Map.of("status", java.util.List.of("exited")))
                .toString();
        assertThat(q).isEqualTo("?all=1&name=a%20b&filters=%7B%22status%22%3A%7B%22exited%22%3Atrue%7D%7D");
    }
}
