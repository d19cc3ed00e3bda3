package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class K8sFileSpoolTest {
    private static List<String> drain(K8sFileSpool spool) throws Exception {
        List<String> got = new ArrayList<>();
        spool.drain(e -> got.add((e.stderr() ? "E:" : "O:") + new String(e.data(), StandardCharsets.UTF_8)));
        return got;
    }

    @Test
    void linesTheShimCutAreJoinedAndAnUnfinishedOneWaitsForItsEnd(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("ctr.log");
        Files.writeString(log, """
                2026-11-30T01:18:51.254960941+00:00 stdout F hello
                2026-11-30T01:18:51.255037555+00:00 stderr P par
                2026-11-30T01:18:51.255037556+00:00 stdout P in
                2026-11-30T01:18:51.255037557+00:00 stderr F tial
                2026-11-30T01:18:51.555776716Z stdout F terleaved
                2026-11-30T01:18:51.6Z stdout F
                not a record
                2026-11-30T01:18:52.000000000+00:00 stdout P no newline yet
                2026-11-30T01:18:53.000000000+00:00 stdout F half-writt""");
        try (K8sFileSpool spool = new K8sFileSpool(log, null)) {
            List<RuntimeDriver.LogEntry> got = new ArrayList<>();
            assertThat(spool.drain(got::add)).isTrue();
            assertThat(got).extracting(e -> new String(e.data(), StandardCharsets.UTF_8))
                    .containsExactly("hello\n", "partial\n", "interleaved\n", "\n");
            assertThat(got).extracting(RuntimeDriver.LogEntry::stderr).containsExactly(false, true, false, false);
            assertThat(got.getFirst().timeNanos()).isEqualTo(1_796_001_531_254_960_941L);
            // a joined line carries the time of its last piece: entries stay in the spool's time order
            assertThat(got.get(1).timeNanos()).isEqualTo(1_796_001_531_255_037_557L);
            // the record being written is delivered once its line is complete, with the piece before it
            Files.writeString(log, "en\n", StandardOpenOption.APPEND);
            assertThat(drain(spool)).containsExactly("O:no newline yethalf-written\n");
            assertThat(spool.drain(e -> { })).isFalse();
        }
    }

    @Test
    void outputThatEndsWithoutANewlineIsDeliveredWhenTheShimHasExited(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("ctr.log");
        Files.writeString(log, "2026-11-30T01:18:51.1Z stdout P prompt> \n");
        try (K8sFileSpool spool = new K8sFileSpool(log, null)) {
            assertThat(drain(spool)).isEmpty();
            List<String> got = new ArrayList<>();
            assertThat(spool.finish(e -> got.add(new String(e.data(), StandardCharsets.UTF_8)))).isFalse();
            assertThat(got).containsExactly("prompt> ");
        }
    }

    @Test
    void aLineLongerThanDockersBufferComesInPiecesOfAtMost16KiB(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("ctr.log");
        String piece = "x".repeat(8192);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append("2026-11-30T01:18:51.").append(i).append("Z stdout P ").append(piece).append('\n');
        }
        sb.append("2026-11-30T01:18:51.5Z stdout F end\n");
        Files.writeString(log, sb.toString());
        try (K8sFileSpool spool = new K8sFileSpool(log, null)) {
            List<String> got = drain(spool);
            assertThat(got).extracting(String::length).containsExactly(2 + 16384, 2 + 16384, 2 + 8192 + 4);
            assertThat(String.join("", got).replace("O:", "")).isEqualTo("x".repeat(5 * 8192) + "end\n");
        }
    }

    @Test
    void followsConmonsRotationWithoutLosingTheOldFilesTail(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("ctr.log");
        Files.writeString(log, "2026-11-30T01:18:51.1Z stdout F one\n");
        try (K8sFileSpool spool = new K8sFileSpool(log, null)) {
            assertThat(drain(spool)).containsExactly("O:one\n");
            // conmon: the old file gets its last writes, then a new file is renamed over the path
            Files.writeString(log, "2026-11-30T01:18:51.2Z stdout F two\n", StandardOpenOption.APPEND);
            Path tmp = dir.resolve("ctr.log.tmp");
            Files.writeString(tmp, "2026-11-30T01:18:51.3Z stderr F three\n");
            Files.move(tmp, log, StandardCopyOption.REPLACE_EXISTING);
            assertThat(drain(spool)).containsExactly("O:two\n", "E:three\n");
            Files.writeString(log, "2026-11-30T01:18:51.4Z stdout F four\n", StandardOpenOption.APPEND);
            assertThat(drain(spool)).containsExactly("O:four\n");
        }
    }

    @Test
    void closingKeepsThePositionForTheSameFile(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("ctr.log");
        Files.writeString(log, "2026-11-30T01:18:51.1Z stdout F one\n");
        K8sFileSpool spool = new K8sFileSpool(log, null);
        assertThat(drain(spool)).containsExactly("O:one\n");
        spool.close();
        Files.writeString(log, "2026-11-30T01:18:51.2Z stdout F two\n", StandardOpenOption.APPEND);
        assertThat(drain(spool)).containsExactly("O:two\n");
        spool.close();
        Files.delete(log);
        Files.writeString(log, "2026-11-30T01:18:51.3Z stdout F three\n"); // a new file: from its start
        assertThat(drain(spool)).containsExactly("O:three\n");
        spool.close();
    }

    @Test
    void aMissingSpoolIsEmptyUntilItAppears(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("ctr.log");
        try (K8sFileSpool spool = new K8sFileSpool(log, null)) {
            assertThat(drain(spool)).isEmpty();
            Files.writeString(log, "2026-11-30T01:18:51.1Z stdout F late\n");
            assertThat(drain(spool)).containsExactly("O:late\n");
        }
    }

    @Test
    void consumedSpoolIsPunchedOutAndAReaderAfterARestartSkipsTheHole(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("ctr.log");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sb.append("2026-11-30T01:18:51.").append(String.format("%09d", i)).append("Z stdout F record-").append(i).append('\n');
        }
        Files.writeString(log, sb.toString());
        long blocks = dev.berth.sys.fs.Lstat.of(log).blocks();
        try (K8sFileSpool spool = new K8sFileSpool(log, dev.berth.sys.fs.FileSpace.linux())) {
            assertThat(drain(spool)).hasSize(20_000);
        }
        assertThat(Files.size(log)).isEqualTo(sb.length());
        assertThat(dev.berth.sys.fs.Lstat.of(log).blocks()).as("consumed blocks freed").isLessThan(blocks / 4);
        Files.writeString(log, "2026-11-30T01:18:52.0Z stdout F after\n", StandardOpenOption.APPEND);
        // a new reader (the daemon restarted) reads from the start: zeros skipped, the cut record dropped
        try (K8sFileSpool again = new K8sFileSpool(log, null)) {
            List<String> got = drain(again);
            assertThat(got).last().isEqualTo("O:after\n");
            assertThat(got).allMatch(l -> l.matches("O:(record-\\d+|after)\n"));
            assertThat(got.size()).isLessThan(20_000 / 4);
        }
    }

    @Test
    void aHeldPieceIsNeverPunchedOutSoAReaderAfterARestartStillJoinsIt(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("ctr.log");
        StringBuilder sb = new StringBuilder("2026-11-30T01:18:50.0Z stdout P the start of a line ");
        sb.append('\n');
        for (int i = 0; i < 20_000; i++) {
            sb.append("2026-11-30T01:18:51.").append(String.format("%09d", i)).append("Z stderr F record-").append(i).append('\n');
        }
        Files.writeString(log, sb.toString());
        long blocks = dev.berth.sys.fs.Lstat.of(log).blocks();
        try (K8sFileSpool spool = new K8sFileSpool(log, dev.berth.sys.fs.FileSpace.linux())) {
            assertThat(drain(spool)).hasSize(20_000);
        }
        assertThat(dev.berth.sys.fs.Lstat.of(log).blocks()).as("nothing freed before the held piece").isEqualTo(blocks);
        Files.writeString(log, "2026-11-30T01:18:52.0Z stdout F and its end\n", StandardOpenOption.APPEND);
        try (K8sFileSpool again = new K8sFileSpool(log, null)) {
            assertThat(drain(again)).last().isEqualTo("O:the start of a line and its end\n");
        }
    }
}
