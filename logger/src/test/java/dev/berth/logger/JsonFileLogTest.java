package dev.berth.logger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFileLogTest extends LogFileContractTest {
    @Override
    LogFormat format() {
        return LogFormat.JSON_FILE;
    }

    @Override
    byte[] torn() {
        return "{\"log\":\"tor".getBytes(StandardCharsets.UTF_8);
    }

    @Override
    boolean holds(byte[] content, String s) {
        return new String(content, StandardCharsets.UTF_8).contains("\"log\":\"" + s);
    }

    @Test
    void linesAreJsonObjectsEndedByANewline() throws IOException {
        Path log = logPath("plain");
        try (LogFileWriter w = open(log, new RotationPolicy(0, 1, false))) {
            w.write(line(1_700_000_000_123_456_789L, "hello"));
        }
        assertThat(Files.readString(log)).isEqualTo("{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2023-11-14T22:13:20.123456789Z\"}\n");
    }
}
