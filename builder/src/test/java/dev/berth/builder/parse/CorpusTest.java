package dev.berth.builder.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.builder.instructions.Dockerfile;
import dev.berth.builder.instructions.Instruction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Whole Dockerfiles as people write them. */
public class CorpusTest {

    public static String resource(String name) throws IOException {
        try (InputStream in = CorpusTest.class.getResourceAsStream("/dockerfiles/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void nodeTwoStage() throws IOException {
        Dockerfile df = Dockerfile.parse(resource("node.Dockerfile"));
        assertThat(df.directives().syntax()).isEqualTo("docker/dockerfile:1");
        assertThat(df.instructions()).extracting(Instruction::original).containsExactly(
                "FROM node:20-alpine AS deps",
                "WORKDIR /app",
                "COPY package*.json ./",
                "RUN npm ci --omit=dev     && npm cache clean --force",
                "FROM node:20-alpine",
                "ENV NODE_ENV=production     PORT=3000",
                "WORKDIR /app",
                "COPY --from=deps /app/node_modules ./node_modules",
                "COPY . .",
                "EXPOSE ${PORT}",
                "USER node",
                "HEALTHCHECK --interval=30s CMD wget -qO- http://localhost:${PORT}/health || exit 1",
                "CMD [\"node\", \"server.js\"]");
        assertThat(df.instructions().get(3).origin().startLine()).isEqualTo(7);
        assertThat(df.instructions().get(3).origin().endLine()).isEqualTo(9);
    }

    @Test
    void windowsWithBacktick() throws IOException {
        Dockerfile df = Dockerfile.parse(resource("windows.Dockerfile"));
        assertThat(df.escape()).isEqualTo('`');
        assertThat(df.instructions()).extracting(Instruction::original).containsExactly(
                "FROM microsoft/nanoserver",
                "SHELL [\"powershell\",\"-command\"]",
                "RUN New-Item -ItemType Directory C:\\Example",
                "ADD Execute-MyCmdlet.ps1 c:\\example\\",
                "RUN c:\\example\\Execute-MyCmdlet     -sample 'hello world'");
    }

    @Test
    void heredocs() throws IOException {
        Dockerfile df = Dockerfile.parse(resource("heredoc.Dockerfile"));
        assertThat(df.instructions()).hasSize(6);
        var run = (Instruction.Run) df.instructions().get(2);
        assertThat(run.heredocs()).extracting(Heredoc::name).containsExactly("FILE1", "FILE2");
        var copy = (Instruction.Copy) df.instructions().get(3);
        assertThat(copy.heredocs().getFirst().content()).isEqualTo("echo \"hello ${FOO}\"\n");
        var bash = (Instruction.Run) df.instructions().get(4);
        assertThat(bash.command().args()).containsExactly("<<EOT bash");
        assertThat(bash.heredocs().getFirst().content()).isEqualTo("  set -ex\n  apt-get update\n");
        assertThat(df.instructions().get(5).original()).isEqualTo("ENTRYPOINT ash /script.sh");
    }
}
