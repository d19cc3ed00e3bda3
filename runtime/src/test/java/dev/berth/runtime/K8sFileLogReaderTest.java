package dev.berth.runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class K8sFileLogReaderTest {
    @Test
    void joinsPartialsAndSplitsStreams(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("ctr.log");
        Files.writeString(log, """
                2026-11-30T01:18:51.254960941+00:00 stdout F hello
                2026-11-30T01:18:51.255037555+00:00 stderr P par
                2026-11-30T01:18:51.255037556+00:00 stderr F tial
                2026-11-30T01:18:51.555776716Z stdout F with space at end\s
                2026-11-30T01:18:52.000000000+00:00 stdout P no newline yet
                """);
        List<RuntimeDriver.LogEntry> got = new ArrayList<>();
        K8sFileLogReader.read(log, false, () -> true, got::add);
        assertThat(got).extracting(e -> new String(e.data(), StandardCharsets.UTF_8))
                .containsExactly("hello\n", "partial\n", "with space at end \n", "no newline yet");
        assertThat(got).extracting(RuntimeDriver.LogEntry::stderr).containsExactly(false, true, false, false);
        assertThat(got.getFirst().timeNanos()).isEqualTo(1_796_001_531_254_960_941L);
    }

    @Test
    void followStopsWhenToldAndDrained(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("ctr.log");
        Files.writeString(log, "2026-11-30T01:18:51.254960941+00:00 stdout F one\n");
        List<String> got = new ArrayList<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(200);
                Files.writeString(log, "2026-11-30T01:18:52.254960941+00:00 stdout F two\n", java.nio.file.StandardOpenOption.APPEND);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        long start = System.currentTimeMillis();
        K8sFileLogReader.read(log, true, () -> System.currentTimeMillis() - start > 600, e -> got.add(new String(e.data(), StandardCharsets.UTF_8)));
        writer.join();
        assertThat(got).containsExactly("one\n", "two\n");
    }
}
