package dev.berth.builder.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.builder.instructions.Dockerfile;
import dev.berth.builder.instructions.Instruction;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerfileParserTest {
    private final DockerfileParser parser = new DockerfileParser();

    private List<Node> nodes(String text) {
        return parser.parse(text).nodes();
    }

    @Test
    void directivesAtTopOnly() {
        var r = parser.parse("# syntax=docker/dockerfile:1\n#  ESCAPE = `\n# check=skip=all\n\nFROM x\n");
        assertThat(r.directives().syntax()).isEqualTo("docker/dockerfile:1");
        assertThat(r.directives().escape()).isEqualTo('`');
        assertThat(r.directives().check()).isEqualTo("skip=all");
    }

    @Test
    void directiveAfterCommentOrInstructionIsAComment() {
        assertThat(parser.parse("# about\n# escape=`\nFROM x\n").directives().escape()).isEqualTo('\\');
        assertThat(parser.parse("FROM x\n# escape=`\n").directives().escape()).isEqualTo('\\');
        assertThat(parser.parse("\n# escape=`\nFROM x\n").directives().escape()).isEqualTo('\\');
        assertThat(parser.parse("# unknown=1\n# escape=`\nFROM x").directives().escape()).isEqualTo('\\');
    }

    @Test
    void duplicateAndInvalidDirectives() {
        assertThatThrownBy(() -> parser.parse("# escape=\\\n# escape=`\nFROM x"))
                .hasMessage("dockerfile parse error on line 1: only one escape parser directive can be used");
        assertThatThrownBy(() -> parser.parse("# escape=x\nFROM x"))
                .hasMessageContaining("invalid escape token 'x' does not match ` or \\");
    }

    @Test
    void commentsAndLeadingWhitespace() {
        List<Node> n = nodes("  # comment\n\tFROM busybox\n    RUN echo 'a # b'\n");
        assertThat(n).hasSize(2);
        assertThat(n.get(0).original()).isEqualTo("FROM busybox");
        assertThat(n.get(1).rest()).isEqualTo("echo 'a # b'");
        assertThat(n.get(1).startLine()).isEqualTo(3);
    }

    @Test
    void continuationsJoinWithoutNewline() {
        List<Node> n = nodes("FROM x\nRUN echo hello \\\n  world\n");
        assertThat(n.get(1).rest()).isEqualTo("echo hello   world");
        assertThat(n.get(1).startLine()).isEqualTo(2);
        assertThat(n.get(1).endLine()).isEqualTo(3);
    }

    @Test
    void commentAndBlankLinesInsideContinuationAreSkipped() {
        List<Node> n = nodes("RUN echo hello \\\n# comment\n\n   \nworld\nCMD x");
        assertThat(n).hasSize(2);
        assertThat(n.get(0).rest()).isEqualTo("echo hello world");
        assertThat(n.get(1).startLine()).isEqualTo(6);
    }

    @Test
    void whitespaceInArgumentsKept() {
        List<Node> n = nodes("RUN echo \"\\\n     hello\\\n     world\"");
        assertThat(n.get(0).rest()).isEqualTo("echo \"     hello     world\"");
    }

    @Test
    void backtickEscape() {
        List<Node> n = nodes("# escape=`\nFROM microsoft/nanoserver\nCOPY testfile.txt c:\\\nRUN dir c:\\\n");
        assertThat(n).hasSize(3);
        assertThat(n.get(1).rest()).isEqualTo("testfile.txt c:\\");
        List<Node> m = nodes("# escape=`\nRUN a `\n  b");
        assertThat(m.get(0).rest()).isEqualTo("a   b");
    }

    @Test
    void backslashContinuationSwallowsNextLineWithoutEscapeDirective() {
        List<Node> n = nodes("FROM microsoft/nanoserver\nCOPY testfile.txt c:\\\\\nRUN dir c:\\\n");
        assertThat(n).hasSize(2);
        assertThat(n.get(1).original()).isEqualTo("COPY testfile.txt c:\\RUN dir c:");
    }

    @Test
    void crlfAndBom() {
        List<Node> n = nodes("\uFEFFFROM x\r\nRUN a \\\r\n b\r\n");
        assertThat(n.get(0).original()).isEqualTo("FROM x");
        assertThat(n.get(1).rest()).isEqualTo("a  b");
    }

    @Test
    void flagsExtracted() {
        Node n = nodes("COPY --from=build --chown=\"a b\" --link src dst").getFirst();
        assertThat(n.flags()).containsExactly("--from=build", "--chown=a b", "--link");
        assertThat(n.rest()).isEqualTo("src dst");
        Node m = nodes("RUN -- --not-a-flag").getFirst();
        assertThat(m.flags()).isEmpty();
        assertThat(m.rest()).isEqualTo("--not-a-flag");
    }

    @Test
    void simpleHeredoc() {
        Node n = nodes("FROM x\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\nCMD x").get(1);
        assertThat(n.heredocs()).singleElement().satisfies(h -> {
            assertThat(h.name()).isEqualTo("EOF");
            assertThat(h.content()).isEqualTo("apt-get update\napt-get install -y curl\n");
            assertThat(h.expand()).isTrue();
            assertThat(h.chomp()).isFalse();
        });
        assertThat(n.endLine()).isEqualTo(5);
        assertThat(nodes("FROM x\nRUN <<EOF\na\nEOF\nCMD x")).hasSize(3);
    }

    @Test
    void chompedQuotedAndMultipleHeredocs() {
        Node n = nodes("RUN <<FILE1 cat > file1 && <<-'FILE2' cat > file2\nI am\nfirst\nFILE1\n\tI am\n\tsecond\n\tFILE2\n")
                .getFirst();
        assertThat(n.heredocs()).hasSize(2);
        assertThat(n.heredocs().get(0).content()).isEqualTo("I am\nfirst\n");
        assertThat(n.heredocs().get(1).name()).isEqualTo("FILE2");
        assertThat(n.heredocs().get(1).content()).isEqualTo("I am\nsecond\n");
        assertThat(n.heredocs().get(1).expand()).isFalse();
        assertThat(n.heredocs().get(1).chomp()).isTrue();
    }

    @Test
    void copyHeredocWithQuotedDelimiter() {
        Node n = nodes("COPY <<-\"EOT\" /script.sh\n  echo \"hello ${FOO}\"\nEOT\n").getFirst();
        assertThat(n.heredocs().getFirst().expand()).isFalse();
        assertThat(n.heredocs().getFirst().content()).isEqualTo("  echo \"hello ${FOO}\"\n");
    }

    @Test
    void heredocOnlyForRunCopyAdd() {
        List<Node> n = nodes("CMD <<EOF\nFROM x\n");
        assertThat(n).hasSize(2);
        assertThat(n.getFirst().heredocs()).isEmpty();
        assertThat(nodes("RUN echo \"<<EOF\"\nFROM x").getFirst().heredocs()).isEmpty();
    }

    @Test
    void unterminatedHeredoc() {
        assertThatThrownBy(() -> nodes("RUN <<EOF\nabc\n"))
                .hasMessage("dockerfile parse error on line 1: unterminated heredoc EOF");
    }

    @Test
    void heredocHelpers() {
        assertThat(DockerfileParser.isOnlyHeredoc("<<EOF", '\\')).isTrue();
        assertThat(DockerfileParser.isOnlyHeredoc("<<EOF bash", '\\')).isFalse();
        assertThat(DockerfileParser.heredocName("<<-'EOT'", '\\')).isEqualTo("EOT");
        assertThat(DockerfileParser.isHeredocWord("<<<x")).isFalse();
    }

    @Test
    void unknownInstructionSuggestion() {
        assertThatThrownBy(() -> Dockerfile.parse("FROM x\n\nFORM y\n"))
                .hasMessage("dockerfile parse error on line 3: unknown instruction: FORM (did you mean FROM?)");
        assertThatThrownBy(() -> Dockerfile.parse("FROM x\nrunn echo\n"))
                .hasMessage("dockerfile parse error on line 2: unknown instruction: RUNN (did you mean RUN?)");
        assertThatThrownBy(() -> Dockerfile.parse("FROM x\nXYZZYQ a\n"))
                .hasMessage("dockerfile parse error on line 2: unknown instruction: XYZZYQ");
    }

    @Test
    void instructionsAreCaseInsensitive() {
        Dockerfile df = Dockerfile.parse("from busybox as Build\nrun echo hi\n");
        assertThat(df.instructions().get(0)).isInstanceOf(Instruction.From.class);
        assertThat(((Instruction.From) df.instructions().get(0)).stageName()).isEqualTo("build");
        assertThat(df.instructions().get(1).original()).isEqualTo("run echo hi");
    }
}
