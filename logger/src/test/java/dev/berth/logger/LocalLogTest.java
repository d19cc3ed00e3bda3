package dev.berth.logger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class LocalLogTest extends LogFileContractTest {
    @Override
    LogFormat format() {
        return LogFormat.LOCAL;
    }

    @Override
    byte[] torn() {
        // a length and the first bytes of a message that never got written in full
        return new byte[] {0, 0, 0, 40, 0x0a, 0x06, 's', 't'};
    }

    @Override
    boolean holds(byte[] content, String s) {
        return new String(content, StandardCharsets.ISO_8859_1).contains(s);
    }

    @Override
    Path logPath(String name) {
        return dir.resolve(name).resolve("local-logs").resolve("container.log");
    }

    static byte[] golden(String name) throws IOException {
        try (InputStream in = LocalLogTest.class.getResourceAsStream("/golden/" + name)) {
            StringBuilder hex = new StringBuilder();
            for (String l : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!l.startsWith("#")) {
                    hex.append(l.replace(" ", ""));
                }
            }
            return HexFormat.of().parseHex(hex);
        }
    }

    @Test
    void anEntryIsEncodedByteForByteAsDockerdDoes() throws IOException {
        Path log = logPath("golden");
        try (LogFileWriter w = open(log, new RotationPolicy(0, 1, false))) {
            w.write(line(1_700_000_000_123_456_789L, "hello"));
        }
        assertThat(Files.readAllBytes(log)).isEqualTo(golden("local-entry.hex"));
        assertThat(LogFormat.LOCAL.file(dir, "c")).isEqualTo(dir.resolve("local-logs/container.log"));
    }

    @Test
    void partialMetadataIsEncodedAsTheSpecSays() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] part = "part".getBytes(StandardCharsets.UTF_8);
        LocalLogEntry.encode("stderr", 5, part, part.length, new LocalLogEntry.Partial(false, "abc", 2), out);
        assertThat(out.toByteArray()).isEqualTo(golden("local-partial.hex"));
        byte[] b = out.toByteArray();
        LocalLogEntry.Entry e = LocalLogEntry.decode(b, 4, b.length - 8);
        assertThat(e.partial()).isEqualTo(new LocalLogEntry.Partial(false, "abc", 2));
        assertThat(e.toMessage().data()).isEqualTo(part); // not the last part: no newline added
        assertThat(e.toMessage().stderr()).isTrue();
    }

    @Test
    void negativeTimesAndUnknownFieldsDecode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] x = "x".getBytes(StandardCharsets.UTF_8);
        LocalLogEntry.encode("stdout", -1, x, 1, null, out);
        byte[] b = out.toByteArray();
        // varint of -1 is ten bytes: ff ×9, 01
        assertThat(HexFormat.of().formatHex(b)).contains("10ffffffffffffffffff01");
        LocalLogEntry.Entry e = LocalLogEntry.decode(b, 4, b.length - 8);
        assertThat(e.timeNano()).isEqualTo(-1);
        // a newer dockerd's attrs (field 6, map entries) and an unknown fixed32 field
        byte[] withAttrs = HexFormat.of().parseHex("1a0178" + "320a0a016b1205" + "76616c7565" + "3d01020304");
        LocalLogEntry.Entry a = LocalLogEntry.decode(withAttrs, 0, withAttrs.length);
        assertThat(a.attrs()).isEqualTo(Map.of("k", "value"));
        assertThat(new String(a.toMessage().data(), StandardCharsets.UTF_8)).isEqualTo("x\n");
        assertThat(LocalLogEntry.decode(new byte[] {0x1a, 0x09, 'x'}, 0, 3)).isNull(); // length beyond the message
    }

    @Test
    void splitLinesRoundTripWithTheirPartsNumbered() throws IOException {
        Path log = logPath("split");
        try (LogFileWriter w = open(log, new RotationPolicy(0, 1, false))) {
            w.write(new LogMessage(1, false, "aaa".getBytes(StandardCharsets.UTF_8)));
            w.write(new LogMessage(1, false, "bbb".getBytes(StandardCharsets.UTF_8)));
            w.write(new LogMessage(1, false, "ccc\n".getBytes(StandardCharsets.UTF_8)));
            w.write(new LogMessage(2, true, "whole\n".getBytes(StandardCharsets.UTF_8)));
        }
        byte[] b = Files.readAllBytes(log);
        List<LocalLogEntry.Entry> entries = new ArrayList<>();
        for (int pos = 0; pos < b.length; ) {
            int n = LocalLogEntry.readLen(b, pos);
            entries.add(LocalLogEntry.decode(b, pos + 4, n));
            pos += n + 8;
        }
        assertThat(entries).hasSize(4);
        String id = entries.get(0).partial().id();
        assertThat(id).hasSize(64);
        assertThat(entries.get(0).partial()).isEqualTo(new LocalLogEntry.Partial(false, id, 1));
        assertThat(entries.get(1).partial()).isEqualTo(new LocalLogEntry.Partial(false, id, 2));
        assertThat(entries.get(2).partial()).isEqualTo(new LocalLogEntry.Partial(true, id, 3));
        assertThat(entries.get(3).partial()).isNull();
        assertThat(new String(entries.get(2).line(), StandardCharsets.UTF_8)).isEqualTo("ccc");
        List<String> data = new ArrayList<>();
        LogFileReader.read(log, format(), false, () -> true, m -> data.add(new String(m.data(), StandardCharsets.UTF_8)));
        assertThat(String.join("", data)).isEqualTo("aaabbbccc\nwhole\n");
    }

    @Test
    void aLineOnTheOtherStreamNeitherEndsNorJoinsALongLine() throws IOException {
        Path log = logPath("interleaved");
        try (LogFileWriter w = open(log, new RotationPolicy(0, 1, false))) {
            w.write(new LogMessage(1, false, "aaa".getBytes(StandardCharsets.UTF_8)));
            w.write(new LogMessage(2, true, "err\n".getBytes(StandardCharsets.UTF_8)));
            w.write(new LogMessage(3, false, "bbb\n".getBytes(StandardCharsets.UTF_8)));
        }
        byte[] b = Files.readAllBytes(log);
        List<LocalLogEntry.Entry> entries = new ArrayList<>();
        for (int pos = 0; pos < b.length; ) {
            int n = LocalLogEntry.readLen(b, pos);
            entries.add(LocalLogEntry.decode(b, pos + 4, n));
            pos += n + 8;
        }
        assertThat(entries).hasSize(3);
        String id = entries.get(0).partial().id();
        assertThat(entries.get(0).partial()).isEqualTo(new LocalLogEntry.Partial(false, id, 1));
        assertThat(entries.get(1).source()).isEqualTo("stderr");
        assertThat(entries.get(1).partial()).isNull();
        assertThat(entries.get(2).partial()).isEqualTo(new LocalLogEntry.Partial(true, id, 2));
    }

    @Test
    void rotatedArchivesCarryTheNewestTimeInTheGzipHeader() throws IOException {
        Path log = logPath("gzhdr");
        try (LogFileWriter w = open(log, new RotationPolicy(60, 3, true))) {
            for (int i = 0; i < 4; i++) {
                w.write(line(1_700_000_000_000_000_000L + i, "entry " + i));
                w.flush();
            }
        }
        byte[] gz = Files.readAllBytes(LogFiles.rotated(log, 1, true));
        assertThat(gz[3] & 4).as("FEXTRA").isEqualTo(4);
        int xlen = (gz[10] & 0xff) | (gz[11] & 0xff) << 8;
        String extra = new String(gz, 12, xlen, StandardCharsets.US_ASCII);
        assertThat(extra).matches("\\{\"lastTime\":\"2023-11-14T22:13:20\\.00000000[0-3]Z\"\\}");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(LogFiles.rotated(log, 1, true)))) {
            assertThat(holds(in.readAllBytes(), "entry")).isTrue();
        }
    }

    @Test
    void aDamagedFrameEndsTheFileButNotTheLog() throws IOException {
        Path log = logPath("damaged");
        try (LogFileWriter w = open(log, new RotationPolicy(0, 1, false))) {
            w.write(line(1, "a"));
            w.write(line(2, "b"));
        }
        byte[] b = Files.readAllBytes(log);
        b[b.length - 1] ^= 1; // the last footer no longer matches its header
        Files.write(log, b);
        try (LogFileWriter w = open(log, new RotationPolicy(0, 1, false))) {
            assertThat(w.end()).isEqualTo(new LogFileWriter.End(1, 1)); // repaired back to "a"
            w.write(line(3, "c"));
        }
        assertThat(readAll(log)).containsExactly("a", "c");
    }
}
