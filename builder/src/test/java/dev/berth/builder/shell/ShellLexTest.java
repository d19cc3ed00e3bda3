package dev.berth.builder.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShellLexTest {
    private static final Map<String, String> ENV = new HashMap<>();

    static {
        ENV.put("FOO", "/bar");
        ENV.put("EMPTY", "");
        ENV.put("PORTS", "80 443");
        ENV.put("abc", "hello");
        ENV.put("_u1", "x");
    }

    private final ShellLex lex = new ShellLex('\\');

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "$FOO|/bar",
        "${FOO}|/bar",
        "${FOO}_bar|/bar_bar",
        "$FOO_bar|",
        "$UNSET|",
        "a$|a$",
        "$ x|$ x",
        "${FOO:-x}|/bar",
        "${EMPTY:-x}|x",
        "${UNSET:-x}|x",
        "${EMPTY-x}|",
        "${UNSET-x}|x",
        "${FOO:+x}|x",
        "${EMPTY:+x}|",
        "${UNSET:+x}|",
        "${EMPTY+x}|x",
        "${UNSET+x}|",
        "${UNSET:-$FOO/y}|/bar/y",
        "${UNSET:-${abc:+nested}}|nested",
        "\\$FOO|$FOO",
        "\\${FOO}|${FOO}",
        "'$FOO'|$FOO",
        "\"$FOO\"|/bar",
        "\"a\\\"b\"|a\"b",
        "\"a\\$b\"|a$b",
        "\"a\\b\"|a\\b",
        "'a\\b'|a\\b",
        "a\\ b|a b",
        "~\"John Doe\"~|John Doe",
        "Rex\\ The\\ Dog|Rex The Dog",
        "$_u1|x",
        "$1|",
        "${FOO:?boom}|/bar",
        "x\\|x",
    })
    void processWord(String in, String expected) {
        assertThat(lex.processWord(in, ENV)).isEqualTo(expected == null ? "" : expected);
    }

    @Test
    void patternOperations() {
        Map<String, String> env = Map.of("str", "foobarbaz");
        assertThat(lex.processWord("${str#f*b}", env)).isEqualTo("arbaz");
        assertThat(lex.processWord("${str##f*b}", env)).isEqualTo("az");
        assertThat(lex.processWord("${str%b*}", env)).isEqualTo("foobar");
        assertThat(lex.processWord("${str%%b*}", env)).isEqualTo("foo");
        assertThat(lex.processWord("${str/ba/fo}", env)).isEqualTo("fooforbaz");
        assertThat(lex.processWord("${str//ba/fo}", env)).isEqualTo("fooforfoz");
        assertThat(lex.processWord("${str/ba}", env)).isEqualTo("foorbaz");
        assertThat(lex.processWord("${str#x}", env)).isEqualTo("foobarbaz");
        assertThat(lex.processWord("${unset#x}", env)).isEmpty();
        assertThat(lex.processWord("${str%\\*}", Map.of("str", "a*"))).isEqualTo("a");
    }

    @Test
    void errorModifiers() {
        assertThatThrownBy(() -> lex.processWord("${UNSET:?must be set}", ENV)).hasMessage("UNSET: must be set");
        assertThatThrownBy(() -> lex.processWord("${EMPTY:?}", ENV)).hasMessage("EMPTY: is not allowed to be empty");
        assertThatThrownBy(() -> lex.processWord("${UNSET?}", ENV)).hasMessage("UNSET: is not allowed to be unset");
        assertThat(lex.processWord("${EMPTY?}", ENV)).isEmpty();
    }

    @Test
    void syntaxErrors() {
        assertThatThrownBy(() -> lex.processWord("${FOO", ENV)).hasMessage("syntax error: missing '}'");
        assertThatThrownBy(() -> lex.processWord("${FOO:-x", ENV)).hasMessage("syntax error: missing '}'");
        assertThatThrownBy(() -> lex.processWord("${}", ENV)).hasMessage("bad substitution");
        assertThatThrownBy(() -> lex.processWord("${FOO*x}", ENV)).hasMessageContaining("unsupported modifier");
        assertThatThrownBy(() -> lex.processWord("'abc", ENV))
                .hasMessage("unexpected end of statement while looking for matching single-quote");
        assertThatThrownBy(() -> lex.processWord("\"abc", ENV))
                .hasMessage("unexpected end of statement while looking for matching double-quote");
    }

    @Test
    void wordSplitting() {
        assertThat(lex.processWords("$PORTS", ENV)).containsExactly("80", "443");
        assertThat(lex.processWords("\"$PORTS\"", ENV)).containsExactly("80 443");
        assertThat(lex.processWords("a  b\\ c 'd e'", ENV)).containsExactly("a", "b c", "d e");
        assertThat(lex.processWords("\"\"", ENV)).containsExactly("");
        assertThat(lex.processWords("  ", ENV)).isEmpty();
    }

    @Test
    void backtickEscape() {
        ShellLex win = new ShellLex('`');
        assertThat(win.processWord("c:\\foo `$FOO", ENV)).isEqualTo("c:\\foo $FOO");
        assertThat(win.processWord("a` b", ENV)).isEqualTo("a b");
    }

    @Test
    void heredocBodyKeepsQuotes() {
        Map<String, String> env = Map.of("FOO", "bar");
        assertThat(lex.processHeredoc("  echo \"hello ${FOO}\"\n", env)).isEqualTo("  echo \"hello bar\"\n");
        assertThat(lex.processHeredoc("echo '$FOO' \\$FOO \\n\n", env)).isEqualTo("echo 'bar' $FOO \\n\n");
    }

    @Test
    void sameValueThroughoutInstruction() {
        // ENV abc=bye def=$abc: every word sees the values from before the instruction
        Map<String, String> before = Map.of("abc", "hello");
        assertThat(lex.processWord("$abc", before)).isEqualTo("hello");
    }
}
