package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.BerthException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliPartsTest {
    @Test
    void templateRangeJoinIfPipes() {
        Map<String, Object> ctx = Map.of("Env", List.of("A=1", "B=2"), "Labels", Map.of("b", "2", "a", "1"),
                "Running", true, "Name", "x");
        assertThat(new Template("{{range .Env}}[{{.}}]{{end}}").render(ctx)).isEqualTo("[A=1][B=2]");
        assertThat(new Template("{{join .Env \",\"}}").render(ctx)).isEqualTo("A=1,B=2");
        assertThat(new Template("{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}").render(ctx)).isEqualTo("a=1;b=2;");
        assertThat(new Template("{{if .Running}}up{{else}}down{{end}}").render(ctx)).isEqualTo("up");
        assertThat(new Template("{{.Env | json}}").render(ctx)).isEqualTo("[\"A=1\",\"B=2\"]");
        assertThat(new Template("{{len .Env}} {{upper .Name}} {{index .Env 1}}").render(ctx)).isEqualTo("2 X B=2");
        assertThatThrownBy(() -> new Template("{{.Foo")).isInstanceOf(BerthException.class)
                .hasMessageContaining("failed to parse template");
        assertThatThrownBy(() -> new Template("{{range .Env}}")).isInstanceOf(BerthException.class);
        assertThatThrownBy(() -> new Template("{{nosuchfn .X}}").render(ctx)).isInstanceOf(BerthException.class)
                .hasMessageContaining("function \"nosuchfn\" not defined");
    }

    @Test
    void dockerIgnoreRules() {
        DockerIgnore i = new DockerIgnore(List.of("# comment", "node_modules", "*.log", "!keep.log", "**/tmp", "/abs/x"));
        assertThat(i.excluded("node_modules/a/b.js")).isTrue();
        assertThat(i.excluded("a.log")).isTrue();
        assertThat(i.excluded("keep.log")).isFalse();
        assertThat(i.excluded("sub/a.log")).isFalse(); // * does not cross "/"
        assertThat(i.excluded("deep/er/tmp/f")).isTrue();
        assertThat(i.excluded("abs/x")).isTrue();
        assertThat(i.excluded("src/Main.java")).isFalse();
    }

    @Test
    void tarRoundTripWithRenameAndLongNames(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        String longName = "d".repeat(120);
        Files.createDirectories(src.resolve("sub").resolve(longName));
        Files.writeString(src.resolve("sub").resolve(longName).resolve("f.txt"), "hello");
        Files.createSymbolicLink(src.resolve("link"), Path.of("sub"));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (Tar.Writer w = new Tar.Writer(buf)) {
            w.addTree(src, "src", rel -> false, false);
        }
        Path dst = dir.resolve("dst");
        Files.createDirectories(dst);
        long n = dev.berth.client.TarExtractor.extract(new ByteArrayInputStream(buf.toByteArray()), dst, "src", "renamed");
        assertThat(n).isEqualTo(5);
        assertThat(Files.readString(dst.resolve("renamed/sub").resolve(longName).resolve("f.txt"))).isEqualTo("hello");
        assertThat(Files.readSymbolicLink(dst.resolve("renamed/link"))).isEqualTo(Path.of("sub"));
    }

    @Test
    void tarRefusesEntriesOutsideTheDestination(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (Tar.Writer w = new Tar.Writer(buf)) {
            w.addFile("../evil", new byte[] {1}, 0644);
        }
        assertThatThrownBy(() -> dev.berth.client.TarExtractor.extract(new ByteArrayInputStream(buf.toByteArray()), dir.resolve("d"), null, null))
                .hasMessageContaining("outside");
    }

    @Test
    void detachKeys() {
        assertThat(AttachIO.detachSequence(null)).containsExactly(16, 17);
        assertThat(AttachIO.detachSequence("ctrl-a,x")).containsExactly(1, 'x');
        assertThat(AttachIO.detachSequence("")).isNull();
        assertThatThrownBy(() -> AttachIO.detachSequence("ctrl-")).isInstanceOf(BerthException.class);
    }

    @Test
    void progressPlainDropsByteCountsAndTtyRewritesLines() {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(plain), false);
        p.accept(msg("Pulling fs layer", "abc", null, null));
        p.accept(msg("Downloading", "abc", 10L, 100L));
        p.accept(msg("Pull complete", "abc", null, null));
        assertThat(plain.toString()).isEqualTo("abc: Pulling fs layer\nabc: Pull complete\n");
        ByteArrayOutputStream tty = new ByteArrayOutputStream();
        Progress t = new Progress(new PrintStream(tty), true);
        t.accept(msg("Pulling fs layer", "a", null, null));
        t.accept(msg("Pulling fs layer", "b", null, null));
        t.accept(msg("Downloading", "a", 50L, 100L));
        assertThat(tty.toString()).contains("\u001b[2A").contains("a: Downloading [=========================>");
    }

    private static dev.berth.api.model.JsonMessage msg(String status, String id, Long cur, Long total) {
        return new dev.berth.api.model.JsonMessage(null, status, id, null,
                cur == null ? null : new dev.berth.api.model.JsonMessage.ProgressDetail(cur, total), null, null, null);
    }

    @Test
    void authHeaderAndServerKeys() {
        assertThat(Auth.serverKey(null)).isEqualTo(Auth.INDEX_SERVER);
        assertThat(Auth.serverKey("https://reg.example:5000/v2/")).isEqualTo("reg.example:5000");
        assertThat(Auth.registryOf("busybox")).isEqualTo("docker.io");
        assertThat(Auth.registryOf("localhost:5000/x")).isEqualTo("localhost:5000");
        assertThat(Auth.registryOf("library/x")).isEqualTo("docker.io");
    }
}
