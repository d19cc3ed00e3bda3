package dev.berth.compose.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvFileTest {
    @Test
    void parsesDotenvSyntax() {
        String text = """
                # comment
                A=1
                export B=two
                C = spaced
                D='single $A literal'
                E="double ${A} \\n escaped"
                F=unquoted # comment
                G=${A}-${OUTER}
                H=
                MULTI="line1
                line2"
                PASS
                """;
        Map<String, String> m = EnvFile.parse(".env", text, Map.of("OUTER", "o", "PASS", "through")::get);
        assertThat(m).containsEntry("A", "1").containsEntry("B", "two").containsEntry("C", "spaced")
                .containsEntry("D", "single $A literal").containsEntry("E", "double 1 \n escaped")
                .containsEntry("F", "unquoted").containsEntry("G", "1-o").containsEntry("H", "")
                .containsEntry("MULTI", "line1\nline2").containsEntry("PASS", "through");
    }

    @Test
    void badKeyNamesLine() {
        assertThatThrownBy(() -> EnvFile.parse("x.env", "OK=1\nBAD KEY=2\n", k -> null)).hasMessageContaining("x.env:2");
    }
}
