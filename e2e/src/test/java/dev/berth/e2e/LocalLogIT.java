package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The {@code local} log driver through the docker CLI: dockerd's files ({@code local-logs/container.log},
 * length-framed protobuf entries, rotated and gzip'd) and {@code docker logs} with its flags over
 * them, dockerd's messages for options it refuses, resume without loss or repeats across a kill -9
 * of berthd, and the driver as the daemon's default.
 */
class LocalLogIT extends E2E {
    LocalLogIT(Engine e) {
        super(e);
    }

    private Path logDir(String id) {
        return e.dataRoot.resolve("containers").resolve(id).resolve("local-logs");
    }

    /** The lines of a local-driver file, read by hand from the framing and the protobuf wire format. */
    static List<String> entries(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw)) {
            while (true) {
                int n;
                try {
                    n = in.readInt();
                } catch (EOFException end) {
                    return out;
                }
                byte[] msg = in.readNBytes(n);
                assertThat(in.readInt()).as("footer repeats the length").isEqualTo(n);
                // source "stdout" (field 1), then time_nano (field 2, a varint), then line (field 3)
                assertThat(msg[0]).isEqualTo((byte) 0x0a);
                assertThat(new String(msg, 2, msg[1], StandardCharsets.US_ASCII)).isEqualTo("stdout");
                int i = 2 + msg[1];
                assertThat(msg[i++]).isEqualTo((byte) 0x10);
                while ((msg[i++] & 0x80) != 0) {
                    // the rest of the varint
                }
                assertThat(msg[i++]).isEqualTo((byte) 0x1a);
                int len = msg[i++];
                out.add(new String(msg, i, len, StandardCharsets.UTF_8));
                assertThat(i + len).as("no partial flag for a whole line").isEqualTo(n);
            }
        }
    }

    @Test
    void logsAreDockersProtobufFramesRotatedAndCompressed() throws Exception {
        String name = Engine.name("local");
        String id = ok("run", "-d", "--name", name, "--log-driver", "local", "--log-opt", "max-size=10k", "busybox", "sh", "-c",
                "i=0; while [ $i -lt 2000 ]; do echo line-$i; i=$((i+1)); done").trim();
        assertThat(ok("wait", name).trim()).isEqualTo("0");
        assertThat(inspect(name, "{{.HostConfig.LogConfig.Type}} {{json .HostConfig.LogConfig.Config}}"))
                .isEqualTo("local {\"max-size\":\"10k\"}");
        Path dir = logDir(id);
        Path current = dir.resolve("container.log");
        assertThat(current).exists();
        // compress is on by default and max-file is 5: four gzip'd rotations at most
        assertThat(dir.resolve("container.log.1.gz")).exists();
        assertThat(dir.resolve("container.log.1")).doesNotExist();
        assertThat(dir.resolve("container.log.5.gz")).doesNotExist();
        assertThat(Files.size(current)).isLessThan(10_000 + 100); // decimal: 10k is 10000 bytes
        byte[] gz = Files.readAllBytes(dir.resolve("container.log.1.gz"));
        int xlen = (gz[10] & 0xff) | (gz[11] & 0xff) << 8;
        assertThat(new String(gz, 12, xlen, StandardCharsets.US_ASCII)).startsWith("{\"lastTime\":\"");
        List<String> onDisk = new ArrayList<>();
        for (int n = 4; n >= 1; n--) {
            Path p = dir.resolve("container.log." + n + ".gz");
            if (Files.exists(p)) {
                onDisk.addAll(entries(p));
            }
        }
        onDisk.addAll(entries(current));
        List<String> shown = ok("logs", name).lines().toList();
        assertThat(shown).isEqualTo(onDisk).isNotEmpty().hasSizeLessThan(2000).endsWith("line-1999");
        int first = Integer.parseInt(shown.getFirst().substring(5));
        for (int i = 0; i < shown.size(); i++) {
            assertThat(shown.get(i)).isEqualTo("line-" + (first + i));
        }
        assertThat(ok("logs", "--tail", "3", name)).isEqualTo("line-1997\nline-1998\nline-1999\n");
        assertThat(ok("logs", "--tail", "0", name)).isEmpty();
        ok("rm", name);
        assertThat(dir).doesNotExist();
    }

    @Test
    void stderrTimestampsSinceAndUntil() {
        String name = Engine.name("local-t");
        ok("run", "-d", "--name", name, "--log-driver", "local", "busybox", "sh", "-c",
                "for i in 1 2 3 4 5; do echo out-$i; echo err-$i >&2; usleep 200000; done");
        assertThat(ok("wait", name).trim()).isEqualTo("0");
        Cmd.Result all = docker("logs", name);
        assertThat(all.out()).isEqualTo("out-1\nout-2\nout-3\nout-4\nout-5\n");
        assertThat(all.err()).isEqualTo("err-1\nerr-2\nerr-3\nerr-4\nerr-5\n");
        List<String> stamped = ok("logs", "-t", name).lines().toList();
        assertThat(stamped).hasSize(5).allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z out-\\d"));
        String t2 = stamped.get(1).split(" ")[0];
        String t4 = stamped.get(3).split(" ")[0];
        // the API carries since/until as fractional seconds: lines exactly at a bound may fall either side
        assertThat(ok("logs", "--since", t2, "--until", t4, name)).contains("out-3\n").doesNotContain("out-1").doesNotContain("out-5");
        // the tail counts both streams (the newest record is err-5), then since filters
        Cmd.Result tail = docker("logs", "--since", t4, "--tail", "2", name);
        assertThat(tail.out()).isEqualTo("out-5\n");
        assertThat(tail.err()).isEqualTo("err-5\n");
        ok("rm", name);
    }

    @Test
    void followReadsAcrossRotationsAndEndsWithTheContainer() {
        String name = Engine.name("local-f");
        ok("run", "-d", "--name", name, "--log-driver", "local", "--log-opt", "max-size=2k", "--log-opt", "max-file=3",
                "busybox", "sh", "-c", "i=1; while [ $i -le 400 ]; do echo tick-$i; i=$((i+1)); usleep 5000; done");
        Cmd.Result r = docker("logs", "-f", name);
        assertThat(r.exit()).as(r.describe()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).isNotEmpty().endsWith("tick-400").doesNotHaveDuplicates();
        int first = Integer.parseInt(lines.getFirst().substring(5));
        assertThat(lines).hasSize(401 - first);
        ok("rm", name);
    }

    @Test
    void optionsDockerdRefusesAreRefusedWithItsMessages() {
        Cmd.Result unknown = docker("run", "--rm", "--log-driver", "local", "--log-opt", "labels=team", "busybox", "true");
        assertThat(unknown.exit()).as(unknown.describe()).isEqualTo(125);
        assertThat(unknown.err()).contains("unknown log opt 'labels' for log driver local");
        // dockerd checks the values when the container starts: it is created, and its start fails
        String name = Engine.name("local-bad");
        Cmd.Result one = docker("run", "--name", name, "--log-driver", "local", "--log-opt", "max-file=1", "busybox", "true");
        assertThat(one.exit()).as(one.describe()).isEqualTo(125);
        assertThat(one.err()).contains("failed to initialize logging driver: compression cannot be enabled when max file count is 1");
        assertThat(inspect(name, "{{.State.Status}} {{.State.ExitCode}}")).isEqualTo("created 128");
        ok("rm", name);
        Cmd.Result size = docker("run", "--rm", "--log-driver", "local", "--log-opt", "max-size=abc", "busybox", "true");
        assertThat(size.err()).contains("invalid value for max-size: abc: invalid size: 'abc'");
        // without compression one file is fine: it is truncated instead of rotated
        Cmd.Result trunc = docker("run", "--rm", "--log-driver", "local", "--log-opt", "max-file=1", "--log-opt", "compress=false",
                "--log-opt", "max-size=1k", "busybox", "sh", "-c", "seq 1 300");
        assertThat(trunc.exit()).as(trunc.describe()).isZero();
        assertThat(trunc.out()).endsWith("300\n");
    }

    @Test
    void outputWrittenWhileTheDaemonIsDownIsLoggedOnceEach() throws Exception {
        String name = Engine.name("local-kill");
        ok("run", "-d", "--name", name, "--log-driver", "local", "--log-opt", "max-size=10k", "busybox", "sh", "-c",
                "i=0; while [ $i -lt 600 ]; do echo tick-$i; i=$((i+1)); usleep 10000; done");
        assertThat(eventually(Duration.ofSeconds(10), () -> docker("logs", name).out().contains("tick-50"))).isTrue();
        e.kill9();
        Engine.sleep(1000); // the container keeps writing: conmon spools it
        e.start();
        assertThat(ok("wait", name).trim()).isEqualTo("0");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            expected.add("tick-" + i);
        }
        // about 18 kB in 10 kB files, five kept: nothing rotated away, and rotations happened on both sides of the kill
        assertThat(ok("logs", name).lines().toList()).as("no line lost or repeated across kill -9 of berthd")
                .containsExactlyElementsOf(expected);
        ok("rm", name);
    }

    @Test
    void theDaemonsDefaultDriverAndOptions() throws Exception {
        Path config = e.dir.resolve("local-log-daemon.json");
        Files.writeString(config, "{\"log-driver\": \"local\", \"log-opts\": {\"max-size\": \"5k\", \"max-file\": \"2\"}}");
        try {
            e.restart(List.of("--config-file", config.toString()));
            assertThat(ok("info", "--format", "{{.LoggingDriver}}").trim()).isEqualTo("local");
            assertThat(ok("info", "--format", "{{.Plugins.Log}}")).contains("local");
            String name = Engine.name("local-default");
            String id = ok("run", "-d", "--name", name, "busybox", "sh", "-c", "seq 1 3000").trim();
            assertThat(ok("wait", name).trim()).isEqualTo("0");
            // dockerd's mergeAndVerifyLogConfig: the daemon's driver and options are stored with the container
            assertThat(inspect(name, "{{.HostConfig.LogConfig.Type}} {{json .HostConfig.LogConfig.Config}}"))
                    .isEqualTo("local {\"max-file\":\"2\",\"max-size\":\"5k\"}");
            assertThat(inspect(name, "{{.LogPath}}")).as("dockerd shows no LogPath for the local driver").isEmpty();
            Path dir = logDir(id);
            assertThat(dir.resolve("container.log")).exists();
            assertThat(dir.resolve("container.log.1.gz")).exists();
            assertThat(dir.resolve("container.log.2.gz")).doesNotExist(); // max-file 2 from the daemon
            assertThat(ok("logs", "--tail", "2", name)).isEqualTo("2999\n3000\n");
            ok("rm", name);
        } finally {
            e.restart(List.of());
        }
    }
}
