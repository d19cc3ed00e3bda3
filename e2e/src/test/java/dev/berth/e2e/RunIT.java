package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunIT extends E2E {
    RunIT(Engine e) {
        super(e);
    }

    @Test
    void runRmEcho() {
        Cmd.Result r = docker("run", "--rm", "busybox", "echo", "hello");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.out()).isEqualTo("hello\n");
    }

    @Test
    void exitCodePropagates() {
        assertThat(docker("run", "--rm", "busybox", "sh", "-c", "exit 3").exit()).isEqualTo(3);
    }

    @Test
    void stdoutAndStderrAreSeparate() {
        Cmd.Result r = docker("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2");
        assertThat(r.out()).isEqualTo("out\n");
        assertThat(r.err()).isEqualTo("err\n");
    }

    @Test
    void stdinIsPiped() {
        Cmd.Result r = e.dockerIn("x\ny\n".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60),
                "run", "-i", "--rm", "busybox", "cat");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.out()).isEqualTo("x\ny\n");
    }

    @Test
    void ttyThroughPseudoTerminal() {
        Cmd.Result r = e.sh("script -qec \"" + Engine.DOCKER + " run --rm -t busybox sh -c 'tty; echo ok'\" /dev/null");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.out()).contains("/dev/pts/").contains("ok");
    }

    @Test
    void detachedThenLogs() {
        String name = Engine.name("logs");
        String id = ok("run", "-d", "--name", name, "busybox", "sh", "-c", "echo one; echo two >&2; sleep 300").trim();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(eventually(Duration.ofSeconds(10), () -> docker("logs", name).out().contains("one"))).isTrue();
        Cmd.Result logs = docker("logs", name);
        assertThat(logs.out()).isEqualTo("one\n");
        assertThat(logs.err()).isEqualTo("two\n");
        assertThat(docker("logs", "--tail", "1", name).exit()).isZero();
        assertThat(docker("logs", "-t", name).out()).matches("(?s)\\d{4}-\\d\\d-\\d\\dT.* one\n");
        ok("rm", "-f", name);
    }

    @Test
    void logsFollowEndsWithContainer() {
        String name = Engine.name("follow");
        ok("run", "-d", "--name", name, "busybox", "sh", "-c", "for i in 1 2 3; do echo line$i; sleep 0.3; done");
        Cmd.Result r = docker("logs", "-f", name);
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.out()).isEqualTo("line1\nline2\nline3\n");
        ok("rm", name);
    }

    @Test
    void logsAreDockersJsonFilesRotatedAtMaxSizeAndMaxFile() throws Exception {
        String name = Engine.name("rotate");
        String id = ok("run", "-d", "--name", name, "--log-opt", "max-size=2k", "--log-opt", "max-file=3", "busybox", "sh", "-c",
                "i=0; while [ $i -lt 500 ]; do echo line-$i; i=$((i+1)); done").trim();
        assertThat(ok("wait", name).trim()).isEqualTo("0");
        Path dir = e.dataRoot.resolve("containers").resolve(id);
        Path log = dir.resolve(id + "-json.log");
        assertThat(inspect(name, "{{.LogPath}}")).isEqualTo(log.toString());
        assertThat(dir.resolve(id + "-json.log.1")).exists();
        assertThat(dir.resolve(id + "-json.log.2")).exists();
        assertThat(dir.resolve(id + "-json.log.3")).doesNotExist();
        for (String f : List.of("", ".1", ".2")) {
            // a file reaches max-size and passes it by at most the line that filled it
            assertThat(Files.size(dir.resolve(id + "-json.log" + f))).isLessThan(2048 + 100);
        }
        assertThat(Files.readAllLines(log)).allMatch(l -> l.matches(
                "\\{\"log\":\"line-\\d+\\\\n\",\"stream\":\"stdout\",\"time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z\"}"));
        // what docker logs shows is the newest lines, contiguous, up to the last one
        List<String> shown = ok("logs", name).lines().toList();
        assertThat(shown).isNotEmpty().hasSizeLessThan(500).endsWith("line-499");
        int first = Integer.parseInt(shown.getFirst().substring(5));
        for (int i = 0; i < shown.size(); i++) {
            assertThat(shown.get(i)).isEqualTo("line-" + (first + i));
        }
        assertThat(ok("logs", "--tail", "2", name)).isEqualTo("line-498\nline-499\n");
        ok("rm", name);
        assertThat(dir).doesNotExist();
    }

    @Test
    void theShimsSpoolKeepsOnlyWhatIsNotShippedYet() throws Exception {
        String name = Engine.name("spool");
        String id = ok("run", "-d", "--name", name, "busybox", "sh", "-c", "yes record | head -n 100000").trim();
        assertThat(ok("wait", name).trim()).isEqualTo("0");
        List<String> lines = ok("logs", name).lines().toList();
        assertThat(lines).hasSize(100_000).containsOnly("record");
        Path spool = e.dataRoot.resolve("containers").resolve(id).resolve("output.spool");
        // about 5 MB went through the spool; its consumed part was given back to the file system
        assertThat(Files.size(spool)).isGreaterThan(4_000_000);
        assertThat(dev.berth.sys.fs.Lstat.of(spool).blocks() * 512).isLessThan(1 << 20);
        ok("rm", name);
    }

    @Test
    void logLabelsAndEnvAreAttrsShownByDetails() throws Exception {
        String name = Engine.name("attrs");
        String id = ok("run", "-d", "--name", name, "--label", "team=blue", "-e", "REGION=eu west", "--log-opt", "labels=team",
                "--log-opt", "env=REGION", "busybox", "echo", "hi").trim();
        assertThat(ok("wait", name).trim()).isEqualTo("0");
        assertThat(ok("logs", "--details", name)).isEqualTo("REGION=eu+west,team=blue hi\n");
        assertThat(Files.readString(e.dataRoot.resolve("containers").resolve(id).resolve(id + "-json.log")))
                .contains("\"attrs\":{\"REGION\":\"eu west\",\"team\":\"blue\"}");
        ok("rm", name);
    }

    @Test
    void compressedRotationsAreStillRead() throws Exception {
        String name = Engine.name("gzlog");
        String id = ok("run", "-d", "--name", name, "--log-opt", "max-size=1k", "--log-opt", "max-file=4", "--log-opt", "compress=true",
                "busybox", "sh", "-c", "i=0; while [ $i -lt 60 ]; do echo line-$i; i=$((i+1)); done").trim();
        assertThat(ok("wait", name).trim()).isEqualTo("0");
        Path dir = e.dataRoot.resolve("containers").resolve(id);
        assertThat(dir.resolve(id + "-json.log.1.gz")).exists();
        assertThat(dir.resolve(id + "-json.log.1")).doesNotExist();
        assertThat(ok("logs", name).lines().toList()).endsWith("line-58", "line-59").doesNotHaveDuplicates();
        Cmd.Result bad = docker("run", "--rm", "--log-opt", "compress=maybe", "busybox", "true");
        assertThat(bad.exit()).as(bad.describe()).isEqualTo(125);
        assertThat(bad.err()).contains("compress");
        ok("rm", name);
    }

    @Test
    void commandNotFoundIs127() {
        Cmd.Result r = docker("run", "--rm", "busybox", "/nonexistent-cmd");
        assertThat(r.exit()).as(r.describe()).isEqualTo(127);
    }

    @Test
    void unknownImageTriesToPull() {
        Cmd.Result r = docker("run", "--rm", "nosuchimage-e2e");
        assertThat(r.exit()).as(r.describe()).isEqualTo(125);
        assertThat(r.err()).contains("Unable to find image 'nosuchimage-e2e:latest' locally");
    }

    @Test
    void invalidName() {
        Cmd.Result r = docker("run", "--name", "bad name!", "busybox", "true");
        assertThat(r.exit()).as(r.describe()).isEqualTo(125);
        assertThat(r.err()).contains("Invalid container name");
    }

    @Test
    void nameConflict() {
        String name = Engine.name("conflict");
        ok("create", "--name", name, "busybox", "true");
        Cmd.Result r = docker("create", "--name", name, "busybox", "true");
        assertThat(r.exit()).as(r.describe()).isEqualTo(1);
        Cmd.Result run = docker("run", "--name", name, "busybox", "true");
        assertThat(run.exit()).as(run.describe()).isEqualTo(125);
        assertThat(r.err()).contains("Conflict. The container name \"/" + name + "\" is already in use");
        ok("rm", name);
    }

    @Test
    void memoryTooSmall() {
        Cmd.Result r = docker("run", "--rm", "--memory", "1k", "busybox", "true");
        assertThat(r.exit()).as(r.describe()).isEqualTo(125);
        assertThat(r.err()).contains("Minimum memory limit allowed is 6MB");
    }

    @Test
    void unknownFlag() {
        Cmd.Result r = docker("run", "--bogus-flag", "busybox");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).contains("unknown flag: --bogus-flag");
    }

    @Test
    void malformedJsonIs400() {
        Cmd.Result r = Cmd.run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket", e.socket.toString(),
                "-X", "POST", "-H", "Content-Type: application/json", "-d", "{bad json",
                "http://localhost/v1.50/containers/create");
        assertThat(r.out()).isEqualTo("400");
    }

    @Test
    void pingHeaders() {
        Cmd.Result r = Cmd.run("curl", "-si", "--unix-socket", e.socket.toString(), "http://localhost/_ping");
        assertThat(r.out()).contains("200").containsIgnoringCase("Api-Version:").containsIgnoringCase("Ostype: linux").endsWith("OK");
    }

    @Test
    void workdirUserEnvEntrypoint() {
        assertThat(ok("run", "--rm", "-w", "/tmp", "busybox", "pwd")).isEqualTo("/tmp\n");
        assertThat(ok("run", "--rm", "-u", "65534", "busybox", "id", "-u")).isEqualTo("65534\n");
        assertThat(ok("run", "--rm", "-e", "FOO=bar", "busybox", "sh", "-c", "echo $FOO")).isEqualTo("bar\n");
        assertThat(ok("run", "--rm", "--entrypoint", "echo", "busybox", "via", "entrypoint")).isEqualTo("via entrypoint\n");
        assertThat(ok("run", "--rm", "-l", "a=b", "--init", "busybox", "true")).isEmpty();
    }
}
