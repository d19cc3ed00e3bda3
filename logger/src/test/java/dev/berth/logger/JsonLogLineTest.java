package dev.berth.logger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLogLineTest {
    private static final long T = 1_764_473_376_721_033_700L; // 2025-11-30T03:29:36.7210337Z

    private static String encode(LogMessage m, Map<String, String> attrs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLogLine.encode(m, attrs, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesDockersLineWithFieldOrderAndTrimmedNanos() {
        assertThat(encode(new LogMessage(T, false, "hello\n".getBytes()), Map.of()))
                .isEqualTo("{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2025-11-30T03:29:36.7210337Z\"}\n");
        assertThat(encode(new LogMessage(1_000_000_000L, true, new byte[0]), Map.of()))
                .isEqualTo("{\"log\":\"\",\"stream\":\"stderr\",\"time\":\"1970-01-01T00:00:01Z\"}\n");
    }

    @Test
    void escapesAsDockerdDoes() {
        String line = encode(new LogMessage(T, false, "a\"b\\c\t<x>&\u0001\u2028é\r\n".getBytes(StandardCharsets.UTF_8)), Map.of());
        assertThat(line).startsWith("{\"log\":\"a\\\"b\\\\c\\t\\u003cx\\u003e\\u0026\\u0001\\u2028é\\r\\n\"");
    }

    @Test
    void invalidUtf8BecomesReplacementCharacter() {
        String line = encode(new LogMessage(T, false, new byte[] {'a', (byte) 0xff, 'b'}), Map.of());
        assertThat(line).startsWith("{\"log\":\"a\uFFFDb\"");
    }

    @Test
    void attrsComeBetweenStreamAndTime() {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("com.example.team", "a<b");
        String line = encode(new LogMessage(T, false, "x".getBytes()), attrs);
        assertThat(line).isEqualTo("{\"log\":\"x\",\"stream\":\"stdout\",\"attrs\":{\"com.example.team\":\"a\\u003cb\"},"
                + "\"time\":\"2025-11-30T03:29:36.7210337Z\"}\n");
    }

    @Test
    void decodeRoundTripsAndSkipsTornLines() {
        String line = encode(new LogMessage(T, true, "x\ty\n".getBytes()), Map.of("k", "v"));
        byte[] b = line.substring(0, line.length() - 1).getBytes(StandardCharsets.UTF_8);
        LogMessage m = JsonLogLine.decode(b, 0, b.length);
        assertThat(m.timeNanos()).isEqualTo(T);
        assertThat(m.stderr()).isTrue();
        assertThat(new String(m.data())).isEqualTo("x\ty\n");
        assertThat(m.attrs()).containsExactly(Map.entry("k", "v"));
        assertThat(JsonLogLine.decode(b, 0, b.length / 2)).isNull();
        byte[] foreign = "not json".getBytes();
        assertThat(JsonLogLine.decode(foreign, 0, foreign.length)).isNull();
    }
}
