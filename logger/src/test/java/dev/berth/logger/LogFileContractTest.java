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

/**
 * The contract every {@link LogFormat} keeps through {@link LogFileWriter} and {@link LogFileReader}:
 * rotation, truncation, compression, repair of a torn record, resume point, tail and follow.
 */
abstract class LogFileContractTest {
    @TempDir
    Path dir;

    /** The format under test. */
    abstract LogFormat format();

    /** The start of a record cut short by a crash, to append to a log. */
    abstract byte[] torn();

    /** Whether decompressed file content holds the text {@code s} of a record. */
    abstract boolean holds(byte[] content, String s);

    Path logPath(String name) {
        return dir.resolve(name + ".log");
    }

    LogFileWriter open(Path log, RotationPolicy policy) throws IOException {
        return LogFileWriter.open(log, format(), policy, Map.of());
    }

    static LogMessage line(long t, String s) {
        return new LogMessage(t, false, (s + "\n").getBytes(StandardCharsets.UTF_8));
    }

    List<String> readAll(Path log) throws IOException {
        List<String> out = new ArrayList<>();
        LogFileReader.read(log, format(), false, () -> true, m -> out.add(new String(m.data(), StandardCharsets.UTF_8).strip()));
        return out;
    }

    @Test
    void rotatesAtMaxSizeAndKeepsMaxFiles() throws IOException {
        Path log = logPath("c");
        try (LogFileWriter w = open(log, new RotationPolicy(200, 3, false))) {
            for (int i = 0; i < 40; i++) {
                w.write(line(1_000_000_000L + i, "line " + i));
                w.flush();
            }
        }
        assertThat(Files.exists(LogFiles.rotated(log, 1, false))).isTrue();
        assertThat(Files.exists(LogFiles.rotated(log, 2, false))).isTrue();
        assertThat(Files.exists(LogFiles.rotated(log, 3, false))).isFalse();
        for (Path p : LogFiles.oldestFirst(log)) {
            // a file reaches max-size and may pass it by the one message that filled it
            assertThat(Files.size(p)).isLessThan(200 + 80);
        }
        List<String> kept = readAll(log);
        assertThat(kept).isNotEmpty().endsWith("line 39");
        // what is kept is a contiguous suffix of what was written
        int first = Integer.parseInt(kept.getFirst().substring(5));
        assertThat(kept).hasSize(40 - first);
    }

    @Test
    void maxFileOneTruncatesAndCompressGzipsRotatedFiles() throws IOException {
        Path one = logPath("one");
        try (LogFileWriter w = open(one, new RotationPolicy(100, 1, false))) {
            for (int i = 0; i < 10; i++) {
                w.write(line(1_000_000_000L + i, "x" + i));
            }
        }
        assertThat(LogFiles.oldestFirst(one)).containsExactly(one);
        assertThat(readAll(one)).endsWith("x9");

        Path gz = logPath("gz");
        try (LogFileWriter w = open(gz, new RotationPolicy(100, 3, true))) {
            for (int i = 0; i < 10; i++) {
                w.write(line(1_000_000_000L + i, "y" + i));
                w.flush();
            }
        }
        assertThat(Files.exists(LogFiles.rotated(gz, 1, true))).isTrue();
        assertThat(Files.exists(LogFiles.rotated(gz, 1, false))).isFalse();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(LogFiles.rotated(gz, 1, true)))) {
            assertThat(holds(in.readAllBytes(), "y")).isTrue();
        }
        assertThat(readAll(gz)).endsWith("y9").doesNotHaveDuplicates();
    }

    @Test
    void reopeningDropsATornLineAndReportsWhereTheLogEnds() throws IOException {
        Path log = logPath("r");
        try (LogFileWriter w = open(log, new RotationPolicy(0, 1, false))) {
            w.write(line(5, "a"));
            w.write(line(7, "b"));
            w.write(line(7, "c"));
        }
        Files.write(log, torn(), StandardOpenOption.APPEND);
        try (LogFileWriter w = open(log, new RotationPolicy(0, 1, false))) {
            assertThat(w.end()).isEqualTo(new LogFileWriter.End(7, 2));
            w.write(line(9, "d"));
        }
        assertThat(readAll(log)).containsExactly("a", "b", "c", "d");
        try (LogFileWriter w = open(log, new RotationPolicy(0, 1, false))) {
            assertThat(w.end()).isEqualTo(new LogFileWriter.End(9, 1)); // nothing torn is left behind
        }
    }

    @Test
    void tailReadsOnlyTheNewestLinesAcrossPlainAndCompressedRotations() throws IOException {
        for (boolean compress : new boolean[] {false, true}) {
            Path log = logPath("tail-" + compress);
            try (LogFileWriter w = open(log, new RotationPolicy(300, 5, compress))) {
                for (int i = 0; i < 20; i++) {
                    w.write(line(1_000 + i, "t" + i));
                    w.flush();
                }
            }
            Files.write(log, torn(), StandardOpenOption.APPEND); // a record still being written
            List<String> all = readAll(log);
            for (int n : new int[] {0, 1, 3, 4, 7, all.size(), all.size() + 5}) {
                List<String> got = new ArrayList<>();
                LogFileReader.read(log, format(), n, false, () -> true, m -> got.add(new String(m.data(), StandardCharsets.UTF_8).strip()));
                assertThat(got).as("tail %d, compress %s", n, compress).isEqualTo(all.subList(Math.max(0, all.size() - n), all.size()));
            }
        }
    }

    @Test
    void theEndCountsARunOfEqualTimesAcrossRotatedFiles() throws IOException {
        Path log = logPath("run");
        try (LogFileWriter w = open(log, new RotationPolicy(150, 4, false))) {
            w.write(line(1, "before"));
            for (int i = 0; i < 6; i++) {
                // one read of the container's output: one time stamp; padded so the run spans files in either format
                w.write(line(9, "same-" + i + " padded to make a record of some size"));
                w.flush();
            }
            assertThat(w.end()).isEqualTo(new LogFileWriter.End(9, 6));
        }
        assertThat(LogFiles.oldestFirst(log)).hasSizeGreaterThan(2);
        try (LogFileWriter again = open(log, new RotationPolicy(150, 4, false))) {
            assertThat(again.end()).isEqualTo(new LogFileWriter.End(9, 6));
        }
        try (LogFileWriter empty = open(logPath("empty"), new RotationPolicy(150, 4, false))) {
            assertThat(empty.end()).isEqualTo(LogFileWriter.End.NONE);
        }
    }

    @Test
    void followReadsAcrossRotationsWithoutLosingOrRepeating() throws Exception {
        Path log = logPath("f");
        List<String> got = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        LogFileWriter w = open(log, new RotationPolicy(300, 5, false));
        w.write(line(1, "m0"));
        w.flush();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                LogFileReader.read(log, format(), true, done::get, m -> got.add(new String(m.data(), StandardCharsets.UTF_8).strip()));
            } catch (IOException e) {
                got.add("ERROR " + e);
            }
        });
        for (int i = 1; i < 30; i++) {
            w.write(line(1 + i, "m" + i));
            w.flush();
            Thread.sleep(15);
        }
        w.close();
        done.set(true);
        reader.join(5000);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            expected.add("m" + i);
        }
        assertThat(got).containsExactlyElementsOf(expected);
    }
}
