package dev.berth.compose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComposeCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = ComposeCommand.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void configServicesHashAndJson() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "services:\n  b: {image: x}\n  a: {image: y, profiles: [p]}\n");
        assertThat(run("-f", f.toString(), "-p", "demo", "config", "--services").out()).isEqualTo("b\n");
        assertThat(run("-f", f.toString(), "--profile", "p", "config", "--services").out()).isEqualTo("b\na\n");
        assertThat(run("-f", f.toString(), "config", "--hash", "b").out()).matches("b [0-9a-f]{64}\n");
        assertThat(run("-f", f.toString(), "-p", "demo", "config", "--format", "json").out()).contains("\"name\" : \"demo\"");
        assertThat(run("-f", f.toString(), "-p", "demo", "config").out()).startsWith("name: demo\nservices:\n  b:\n");
    }

    @Test
    void loaderErrorsExitNonZeroWithLocation() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "services:\n  web:\n    image: x\n    bogus: 1\n");
        Run r = run("-f", f.toString(), "config");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(f + ":4").contains("bogus");
    }

    @Test
    void execStopsAtFirstPositional() {
        // also without configure(): the way a parent CLI adds the command class
        var root = new picocli.CommandLine(picocli.CommandLine.Model.CommandSpec.create());
        root.addSubcommand("compose", ComposeCommand.class);
        var parsed = root.parseArgs("compose", "exec", "-T", "web", "ls", "-la").subcommand();
        var exec = (ExecCmds.Exec) parsed.subcommand().commandSpec().userObject();
        var run = (ExecCmds.Run) root.parseArgs("compose", "run", "--rm", "web", "sh", "-c", "x").subcommand().subcommand()
                .commandSpec().userObject();
        assertThat(run.command).containsExactly("sh", "-c", "x");
        assertThat(exec.service).isEqualTo("web");
        assertThat(exec.command).containsExactly("ls", "-la");
    }
}
